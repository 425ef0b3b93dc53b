"""Multi-track tokens, ordered track by track as in MMM (Ens & Pasquier, 2020; miditok's MMM):
BOS, then for each track TRACK_i and its bars, each BAR followed by its notes as POS, PITCH,
DUR (chord notes share one POS), then EOS. Written here on the same 16th grid as the piano
rolls, so passage → tokens → passage is exact and the decoding grammar is a few rules.

Track by track means accompaniment is a continuation: the melody track is the prompt.
"""

from collections.abc import Sequence

import torch

from artforge.music.band.tracks import MAX_TRACKS, Passage
from artforge.music.melody import STEPS_PER_BAR

PAD, BOS, EOS = 0, 1, 2
TRACK = 3
BAR = TRACK + MAX_TRACKS
POS = BAR + 1
PITCH = POS + STEPS_PER_BAR
DUR = PITCH + 128
MAX_DUR = 64
VOCAB = DUR + MAX_DUR
"""DUR_k (k = 1..64 steps) is id DUR + k - 1."""


def encode(passage: Passage, bars: int) -> list[int]:
    ids = [BOS]
    for index, notes in enumerate(passage):
        ids.append(TRACK + index)
        ids += track_tokens(notes, bars)
    return [*ids, EOS]


def track_tokens(notes: Sequence[tuple[int, int, int]], bars: int) -> list[int]:
    """BAR and POS/PITCH/DUR tokens of one track (without its TRACK token)."""
    longest: dict[tuple[int, int], int] = {}
    for start, steps, pitch in notes:  # one note per onset and pitch: the longest
        longest[start, pitch] = max(steps, longest.get((start, pitch), 0))
    ids = []
    for bar in range(bars):
        ids.append(BAR)
        position = None
        for (start, pitch), steps in sorted(longest.items()):
            if start // STEPS_PER_BAR != bar:
                continue
            if start % STEPS_PER_BAR != position:
                position = start % STEPS_PER_BAR
                ids.append(POS + position)
            ids += [PITCH + pitch, DUR + min(steps, MAX_DUR) - 1]
    return ids


def decode(ids: Sequence[int], tracks: int, bars: int) -> Passage:
    """The notes the tokens describe; tokens out of place are skipped."""
    passage: Passage = [[] for _ in range(tracks)]
    track, bar, position, pitch = None, -1, 0, None
    for token in ids:
        if TRACK <= token < TRACK + tracks:
            track, bar, position, pitch = token - TRACK, -1, 0, None
        elif token == BAR:
            bar, position, pitch = bar + 1, 0, None
        elif POS <= token < PITCH:
            position, pitch = token - POS, None
        elif PITCH <= token < DUR:
            pitch = token - PITCH
        elif DUR <= token < VOCAB and pitch is not None and track is not None and 0 <= bar < bars:
            start = bar * STEPS_PER_BAR + position
            steps = min(token - DUR + 1, bars * STEPS_PER_BAR - start)
            passage[track].append((start, steps, pitch))
            pitch = None
        elif token == EOS:
            break
    return [sorted(notes) for notes in passage]


class Grammar:
    """The tokens that may come next, so that every sampled sequence decodes to `bars` bars
    of each track, in order, with notes inside each track's pitch range (and, where
    `pitch_classes` gives a track one set per 16th of the passage, inside the set of each
    note's onset: a key's scale, or the chord of the moment)."""

    def __init__(self, tracks: int, bars: int, ranges: Sequence[tuple[int, int]],
                 pitch_classes: Sequence[Sequence[frozenset[int]] | None] | None = None
                 ) -> None:
        self.tracks, self.bars, self.ranges = tracks, bars, list(ranges)
        self.track, self.bar, self.position, self.last = -1, 0, -1, BOS
        self.last_pitch = -1
        self.pitch_classes = list(pitch_classes or [None] * tracks)
        self._masks: dict[frozenset[int], torch.Tensor] = {}

    def _allow_pitches(self, mask: torch.Tensor, low: int) -> None:
        """Pitches from `low` to the track's highest; where the track has pitch classes for
        each 16th of the passage, only those of the note's onset."""
        high = self.ranges[self.track][1]
        if low > high:
            return
        allowed = torch.ones(high + 1 - low, dtype=torch.bool)
        steps = self.pitch_classes[self.track]
        if steps is not None:
            classes = steps[(self.bar - 1) * STEPS_PER_BAR + max(self.position, 0)]
            if classes not in self._masks:
                self._masks[classes] = torch.tensor([p % 12 in classes for p in range(128)])
            allowed = self._masks[classes][low:high + 1]
        mask[PITCH + low:PITCH + high + 1] = allowed

    def advance(self, token: int) -> None:
        if TRACK <= token < BAR:
            self.track, self.bar = token - TRACK, 0
        elif token == BAR:
            self.bar, self.position = self.bar + 1, -1
        elif POS <= token < PITCH:
            self.position, self.last_pitch = token - POS, -1
        elif PITCH <= token < DUR:
            self.last_pitch = token - PITCH
        self.last = token

    def _end_of_track(self) -> list[int]:
        return [TRACK + self.track + 1] if self.track + 1 < self.tracks else [EOS]

    def allowed(self) -> torch.Tensor:
        mask = torch.zeros(VOCAB, dtype=torch.bool)
        last = self.last
        if last in (BOS, EOS):
            mask[TRACK if last == BOS else EOS] = True
        elif TRACK <= last < BAR:
            mask[BAR] = True
        elif last == BAR or DUR <= last < VOCAB:
            mask[POS + self.position + 1:PITCH] = True
            if last >= DUR:
                self._allow_pitches(mask, max(self.ranges[self.track][0], self.last_pitch + 1))
            ends = [BAR] if self.bar < self.bars else self._end_of_track()
            mask[ends] = True
        elif POS <= last < PITCH:
            self._allow_pitches(mask, self.ranges[self.track][0])
        elif PITCH <= last < DUR:
            left = self.bars * STEPS_PER_BAR - ((self.bar - 1) * STEPS_PER_BAR + self.position)
            mask[DUR:DUR + max(1, min(MAX_DUR, left))] = True
        if not bool(mask.any()):  # a pitch range already exhausted in a chord: move on
            mask[POS + self.position + 1:PITCH] = True
            mask[[BAR] if self.bar < self.bars else self._end_of_track()] = True
        return mask
