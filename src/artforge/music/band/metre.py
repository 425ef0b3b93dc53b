"""Metre on the 16th grid, and where a tune's bar lines fall (most tunes start with a pickup,
which a MIDI file does not mark)."""

import dataclasses
from collections.abc import Sequence

from artforge.music.band.tracks import Note


@dataclasses.dataclass(frozen=True)
class Metre:
    """A time signature whose denominator is a quarter or an eighth note."""

    numerator: int
    denominator: int

    @property
    def unit(self) -> int:
        """Steps of one denominator note."""
        return 16 // self.denominator

    @property
    def compound(self) -> bool:
        """6/8, 9/8, 12/8, 6/4: beats of three units."""
        return self.numerator % 3 == 0 and self.numerator > 3

    @property
    def beat(self) -> int:
        return self.unit * (3 if self.compound else 1)

    @property
    def bar(self) -> int:
        return self.numerator * self.unit

    @property
    def beats(self) -> int:
        return self.bar // self.beat

    @property
    def span(self) -> int:
        """Steps of one chord: half a bar in long bars with an even number of beats (4/4,
        6/4, 12/8), else a bar."""
        return self.bar // 2 if self.bar >= 16 and self.beats % 2 == 0 else self.bar

    @property
    def subdivision(self) -> int:
        """The shortest pulse of the drums and broken chords: eighths in simple metres."""
        return self.unit if self.compound else max(1, self.beat // 2)


def normal_metre(numerator: int, denominator: int) -> tuple[Metre, float]:
    """The metre with a quarter or eighth denominator, and the factor that note lengths are
    scaled by: the Essen songs are often written in half or whole notes (4/2, 3/1), which
    are read as 4/4 and 3/4 played twice or four times as fast."""
    if denominator in (1, 2):
        return Metre(numerator, 4), denominator / 4
    if denominator in (4, 8):
        return Metre(numerator, denominator), 1.0
    return Metre(4, 4), 4 / denominator


def pickup_steps(notes: Sequence[Note], metre: Metre) -> int:
    """Where the first bar line falls (0 when the tune starts on one): the phase that puts
    the most note length on downbeats (and some on other beats), with a bar's worth more for
    a last note on a downbeat and again for an end on a bar line. Folk songs put long notes
    on strong beats, end on a downbeat and fill their last bar up to the pickup's length."""
    last = max(start for start, _, _ in notes)
    end = max(start + length for start, length, _ in notes)

    def weight(phase: int) -> float:
        total = 0.0
        for start, length, _ in notes:
            position = (start - phase) % metre.bar
            total += length * (3 if position == 0 else 1 if position % metre.beat == 0 else 0)
        ends = ((last - phase) % metre.bar == 0) + ((end - phase) % metre.bar == 0)
        return total + metre.bar * ends

    return max(range(metre.bar), key=lambda phase: (weight(phase), -phase))
