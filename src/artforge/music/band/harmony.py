"""Harmonising a melody: its key (Krumhansl-Kessler profiles), one diatonic triad per chord
span chosen by dynamic programming (cover the melody's notes, prefer the main chords, cadence
on the tonic), and close piano voicings that move as little as possible."""

import itertools
from collections.abc import Sequence

import numpy as np

from artforge.music.band.metre import Metre
from artforge.music.band.tracks import Note

MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)
"""Krumhansl & Kessler's (1982) probe-tone ratings, tonic first."""

Chord = tuple[int, int]
"""Root pitch class and third (4: major, 3: minor)."""
MAJOR_CHORDS = {(0, 4): 1.0, (2, 3): 0.4, (4, 3): 0.2, (5, 4): 0.8, (7, 4): 0.9, (9, 3): 0.5}
MINOR_CHORDS = {(0, 3): 1.0, (3, 4): 0.5, (5, 3): 0.7, (7, 4): 0.9, (8, 4): 0.4, (10, 4): 0.5}
"""Diatonic triads from the tonic (vii° left out; minor keys take the major dominant of the
harmonic minor) and how much a plain folk harmonisation prefers each."""
VOICING_SPAN = 21
"""Piano chords lie within an octave and a sixth that ends at the melody's median pitch
(from C4 to C5), so that they sound under the tune, touching it at most."""


def estimate_key(notes: Sequence[Note]) -> tuple[int, bool]:
    """Tonic pitch class and whether the key is minor: the best correlation of the melody's
    duration-weighted pitch-class counts with a rotated profile, less the share of the tune
    outside the key's scale (profiles alone put a tune with B flats in C major when it
    dwells on C); a tune's last note is usually its tonic, which breaks near ties (relative
    major and minor)."""
    counts = np.zeros(12)
    for _, length, pitch in notes:
        counts[pitch % 12] += length
    final = max(notes)[2] % 12
    best, key = -np.inf, (0, False)
    for tonic, minor in itertools.product(range(12), (False, True)):
        profile = np.roll(MINOR_PROFILE if minor else MAJOR_PROFILE, tonic)
        scale = {(tonic + c[0] + d) % 12 for c in key_chords(0, minor) for d in (0, c[1], 7)}
        outside = sum(counts[pc] for pc in range(12) if pc not in scale) / counts.sum()
        score = np.corrcoef(counts, profile)[0, 1] - 2 * outside + 0.15 * (tonic == final)
        if score > best:
            best, key = score, (tonic, minor)
    return key


def key_chords(tonic: int, minor: bool) -> dict[Chord, float]:
    table = MINOR_CHORDS if minor else MAJOR_CHORDS
    return {((tonic + root) % 12, third): prior for (root, third), prior in table.items()}


def chord_tones(chord: Chord) -> tuple[int, int, int]:
    root, third = chord
    return root, (root + third) % 12, (root + 7) % 12


def span_fit(notes: Sequence[Note], start: int, length: int, chord: Chord,
             metre: Metre) -> float:
    """How well the chord covers the melody in [start, start + length), from -0.5 to 1:
    sounding time of chord tones minus half that of other tones, notes on beats counting
    double and the span's first note triple."""
    tones = chord_tones(chord)
    total = fit = 0.0
    for begin, steps, pitch in notes:
        overlap = min(begin + steps, start + length) - max(begin, start)
        if overlap <= 0:
            continue
        weight = overlap * (3 if begin <= start else 2 if begin % metre.beat == 0 else 1)
        total += weight
        fit += weight if pitch % 12 in tones else -0.5 * weight
    return fit / total if total else 0.0


def choose_chords(notes: Sequence[Note], metre: Metre, spans: int, tonic: int,
                  minor: bool) -> list[Chord]:
    """One chord per span (span 0 starts at step 0): the best path through the key's triads,
    scoring melody fit, each chord's prior, a change inside a bar (penalised), a dominant
    resolving to the tonic, and a last span on the tonic."""
    chords = key_chords(tonic, minor)
    names = list(chords)
    tonic_chord, dominant = names[0], ((tonic + 7) % 12, 4)
    inside: list[list[Note]] = [[] for _ in range(spans)]
    for note in notes:  # each note goes to the spans it sounds in
        start, length, _ = note
        for s in range(max(0, start // metre.span), min(spans, -(-(start + length) // metre.span))):
            inside[s].append(note)
    score = np.array([[span_fit(inside[s], s * metre.span, metre.span, c, metre)
                       + 0.3 * chords[c] for c in names] for s in range(spans)])
    score[-1, names.index(tonic_chord)] += 2.0
    move = np.zeros((len(names), len(names)))
    move[names.index(dominant), names.index(tonic_chord)] = 0.2
    best, back = score[0].copy(), []
    for s in range(1, spans):
        inside_bar = (s * metre.span) % metre.bar != 0
        change = np.full((len(names), len(names)), 0.35 if inside_bar else 0.05)
        np.fill_diagonal(change, 0.0)
        total = best[:, None] + move - change
        back.append(total.argmax(axis=0))
        best = total.max(axis=0) + score[s]
    path = [int(best.argmax())]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1]]))
    return [names[i] for i in reversed(path)]


def voicings(chord: Chord, high: int) -> list[tuple[int, ...]]:
    """Close-position voicings (root position and both inversions) from `high` down."""
    low = high - VOICING_SPAN
    found = []
    for bottom in range(low, high + 1):
        if bottom % 12 not in chord_tones(chord):
            continue
        tones = [bottom]
        while len(tones) < 3:
            tones.append(next(p for p in range(tones[-1] + 1, tones[-1] + 6)
                              if p % 12 in chord_tones(chord) and p % 12 not in
                              {t % 12 for t in tones}))
        if tones[-1] <= high:
            found.append(tuple(tones))
    return found


def voice_lead(chords: Sequence[Chord], melody: Sequence[Note]) -> list[tuple[int, ...]]:
    """Each chord in the voicing nearest the previous one (common tones stay, the others
    move by the smallest steps), the first one nearest a major triad under the top."""
    pitches = sorted(p for _, _, p in melody)
    high = min(72, max(60, pitches[len(pitches) // 2]))
    previous: tuple[int, ...] = (high - 12, high - 8, high - 5)
    chosen = []
    for chord in chords:
        previous = min(voicings(chord, high),
                       key=lambda v: (sum(abs(a - b) for a, b in zip(v, previous, strict=True)),
                                      v))
        chosen.append(previous)
    return chosen
