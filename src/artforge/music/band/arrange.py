"""A melody arranged for a small band by rule: piano chords under it (harmony.py), a bass on
the chords' roots, and General MIDI drums fitted to the metre, each part in one of a few
styles drawn per piece. The first bar line must be at a multiple of the bar (metre.py)."""

import dataclasses
import random
from collections.abc import Sequence

from artforge.music.band.harmony import Chord, choose_chords, estimate_key, voice_lead
from artforge.music.band.metre import Metre
from artforge.music.band.tracks import Note

KICK, SIDE_STICK, SNARE, HAT, CRASH, RIDE = 36, 37, 38, 42, 49, 51
TOMS = (50, 47, 45, 43)
"""General MIDI drum keys; the toms from high to floor."""
BASS_RANGE = (36, 52)
"""Bass roots from C2 to E3."""
PHRASE = 4
"""Bars between drum fills."""


@dataclasses.dataclass(frozen=True)
class Style:
    piano: str = "sustain"
    bass: str = "roots"
    drums: str = "rock"
    fill: str = "snare"

    @classmethod
    def draw(cls, rng: random.Random) -> "Style":
        return cls(rng.choice(("sustain", "beats", "afterbeats", "broken")),
                   rng.choice(("roots", "root-fifth", "walking")),
                   rng.choice(("rock", "light", "ride")), rng.choice(("snare", "toms")))


def piano_pattern(metre: Metre, style: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """(offset, steps, voices) of one bar's chord hits; voices index the voicing, low first."""
    block = (0, 1, 2)
    beats = range(0, metre.bar, metre.beat)
    if style == "beats":
        return [(b, metre.beat, block) for b in beats]
    if style == "afterbeats":  # oom-pah: the bass takes the strong beats
        if metre.compound:
            return [(b + u, metre.unit, block) for b in beats for u in (metre.unit, 2 * metre.unit)]
        weak = [b for i, b in enumerate(beats) if i % 2 == 1 or metre.beats == 3 and i]
        return [(b, max(1, metre.beat // 2), block) for b in weak or [0]]
    if style == "broken":
        step = metre.subdivision
        order = (0, 1, 2) if metre.compound else (0, 1, 2, 1)
        return [(t, step, (order[i % len(order)],))
                for i, t in enumerate(range(0, metre.bar, step))]
    return [(s, metre.span, block) for s in range(0, metre.bar, metre.span)]


def bass_pitch(pitch_class: int, previous: int) -> int:
    low, high = BASS_RANGE
    return min((p for p in range(low, high + 1) if p % 12 == pitch_class),
               key=lambda p: (abs(p - previous), p))


def bass_span(chord: Chord, following: Chord | None, root: int, steps: int, metre: Metre,
              style: str) -> list[Note]:
    """One chord span of bass from offset 0: the root, then fifth or walking tones."""
    fifth = root + 7 if root + 7 <= BASS_RANGE[1] + 3 else root - 5
    if style == "roots":
        return [(0, steps, root)]
    beats = steps // metre.beat
    if style == "root-fifth":
        if beats == 1:
            half = 2 * metre.unit if metre.compound else metre.beat // 2
            return [(0, half, root), (half, steps - half, fifth)]
        half = -(-beats // 2) * metre.beat
        return [(0, half, root), (half, steps - half, fifth)]
    tones = [root, root + chord[1], fifth, root + chord[1]]
    notes = [(i * metre.beat, metre.beat, tones[i % len(tones)]) for i in range(beats)]
    if following is not None and following != chord and beats > 1:
        target = bass_pitch(following[0], root)
        notes[-1] = (notes[-1][0], metre.beat, target - 1)  # a chromatic step up to it
    return notes


def drum_bar(metre: Metre, style: str) -> list[tuple[int, int]]:
    """(offset, key) of one ordinary bar: kick on the first beat (and the third of four),
    snare on the back beats, hi-hat or ride on every subdivision (light: every beat)."""
    beats = list(range(0, metre.bar, metre.beat))
    kicks = [beats[0]] + ([beats[2]] if len(beats) == 4 else [])
    if style == "ride" and len(beats) == 4:
        kicks.append(beats[1] + metre.beat // 2)
    back = beats[1::2] if len(beats) != 3 else beats[1:]
    cymbal = RIDE if style == "ride" else HAT
    pulse = beats if style == "light" else range(0, metre.bar, metre.subdivision)
    snare = SIDE_STICK if style == "light" else SNARE
    return ([(t, KICK) for t in kicks] + [(t, snare) for t in back]
            + [(t, cymbal) for t in pulse])


def drum_fill(metre: Metre, hits: list[tuple[int, int]], fill: str) -> list[tuple[int, int]]:
    """The bar with its last beat replaced by half-subdivisions (16ths in 4/4) on the snare or
    down the toms."""
    start, step = metre.bar - metre.beat, max(1, metre.subdivision // 2)
    count = metre.beat // step
    kept = [(t, key) for t, key in hits if t < start]
    keys = [SNARE] * count if fill == "snare" else [TOMS[i * len(TOMS) // count]
                                                      for i in range(count)]
    return kept + [(start + i * step, key) for i, key in enumerate(keys)]


def arrange(melody: Sequence[Note], metre: Metre, style: Style) -> dict[str, list[Note]]:
    """Piano, bass and drum notes for the bars from the tune's first bar line to the bar of
    its last note; the last bar holds its chords over a crash."""
    # 1. The bars the band plays, their chords and voicings.
    first = -(-min(s for s, _, _ in melody) // metre.bar)
    last = max(s for s, _, _ in melody) // metre.bar
    if last < first:
        raise ValueError("the tune has no bar line before its last note")
    per_bar = metre.bar // metre.span
    offset = first * metre.bar
    moved = [(s - offset, n, p) for s, n, p in melody]
    chords = choose_chords(moved, metre, (last - first + 1) * per_bar, *estimate_key(melody))
    voicings = voice_lead(chords, melody)
    # 2. Bar by bar.
    parts: dict[str, list[Note]] = {"piano": [], "bass": [], "drums": []}
    root = BASS_RANGE[0] + 7
    for bar in range(last - first + 1):
        start, final = offset + bar * metre.bar, bar == last - first
        spans = range(bar * per_bar, (bar + 1) * per_bar)
        hits = piano_pattern(metre, "sustain" if final else style.piano)
        for t, steps, voices in hits:
            voicing = voicings[bar * per_bar + min(t // metre.span, per_bar - 1)]
            parts["piano"] += [(start + t, steps, voicing[v]) for v in voices]
        for k, span in enumerate(spans):
            root = bass_pitch(chords[span][0], root)
            following = chords[span + 1] if span + 1 < len(chords) else None
            notes = bass_span(chords[span], following, root, metre.span, metre,
                              "roots" if final else style.bass)
            parts["bass"] += [(start + k * metre.span + t, n, p) for t, n, p in notes]
        drums = drum_bar(metre, style.drums)
        if final:
            drums = [(0, KICK), (0, CRASH)]
        elif bar % PHRASE == PHRASE - 1:
            drums = drum_fill(metre, drums, style.fill)
        if bar % PHRASE == 0:  # a crash opens every phrase
            drums.append((0, CRASH))
        parts["drums"] += [(start + t, 1, key) for t, key in drums]
    return {name: sorted(set(notes)) for name, notes in parts.items()}
