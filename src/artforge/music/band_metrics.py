"""MuseGAN's statistics of multi-track music (Dong et al., 2018), on the 16th-note grid of
artforge's bands: empty bars, used pitch classes, qualified notes, drum pattern, and the tonal
distance between tracks (Harte et al., 2006); with the in-key rate and polyphony of the music
issue's `piece_statistics`.

Two adaptations to the grid: every note on it lasts at least a 16th, so MuseGAN's qualified
note (at least a 32nd) would always hold; here a note qualifies from an eighth (2 steps), which
still tells fragmented piano-roll output from whole notes. Likewise every drum onset is on a
16th, so the drum pattern rate counts onsets on 8th-note positions (MuseGAN's "8-beat").
"""

import math
from collections.abc import Sequence

import torch

from artforge.music.band.tracks import Passage, empty_bars, passage_score
from artforge.music.melody import STEPS_PER_BAR
from artforge.music.metrics import piece_statistics

QUALIFIED_STEPS = 2
RADII = (1.0, 1.0, 0.5)
ANGLES = (7 * math.pi / 6, 3 * math.pi / 2, 2 * math.pi / 3)
"""Circle of fifths, minor thirds and major thirds: the three circles of the tonal centroid."""


def tonal_matrix() -> torch.Tensor:
    """Harte's 6 x 12 matrix that maps a chroma vector to its tonal centroid."""
    rows = []
    for radius, angle in zip(RADII, ANGLES, strict=True):
        rows.append([radius * math.sin(l * angle) for l in range(12)])  # noqa: E741
        rows.append([radius * math.cos(l * angle) for l in range(12)])  # noqa: E741
    return torch.tensor(rows, dtype=torch.float64)


def bar_chroma(notes: Sequence[tuple[int, int, int]], bar: int) -> torch.Tensor:
    """Steps each pitch class sounds in the bar, (12,)."""
    chroma = torch.zeros(12, dtype=torch.float64)
    low, high = bar * STEPS_PER_BAR, (bar + 1) * STEPS_PER_BAR
    for start, steps, pitch in notes:
        overlap = min(high, start + steps) - max(low, start)
        if overlap > 0:
            chroma[pitch % 12] += overlap
    return chroma


def tonal_distance(a: Sequence[tuple[int, int, int]], b: Sequence[tuple[int, int, int]],
                   bars: int) -> float | None:
    """Mean over the bars where both tracks sound of the distance between their tonal
    centroids (0: the same harmony); None when they never sound together."""
    phi = tonal_matrix()
    distances = []
    for bar in range(bars):
        ca, cb = bar_chroma(a, bar), bar_chroma(b, bar)
        if ca.sum() and cb.sum():
            distances.append(float((phi @ (ca / ca.sum()) - phi @ (cb / cb.sum())).norm()))
    return sum(distances) / len(distances) if distances else None


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def band_statistics(passages: Sequence[Passage], names: Sequence[str], bars: int
                    ) -> dict[str, float]:
    """Means over passages: empty-bar rate, pitch classes per bar, qualified-note rate and
    tonal distance over the pitched tracks, drum pattern rate (NaN without drums), and the
    in-key rate and polyphony of the pitched tracks together."""
    pitched = [i for i, name in enumerate(names) if name != "drums"]
    drums = [i for i, name in enumerate(names) if name == "drums"]
    empty, classes, qualified, distances, on_beat, in_key, polyphony = [], [], [], [], [], [], []
    for passage in passages:
        for index in pitched:
            notes = passage[index]
            empty.append(empty_bars(notes, bars) / bars)
            for bar in range(bars):
                used = int((bar_chroma(notes, bar) > 0).sum())
                if used:
                    classes.append(used)
            qualified += [steps >= QUALIFIED_STEPS for _, steps, _ in notes]
        for i, first in enumerate(pitched):
            for second in pitched[i + 1:]:
                distance = tonal_distance(passage[first], passage[second], bars)
                if distance is not None:
                    distances.append(distance)
        for index in drums:
            on_beat += [start % 2 == 0 for start, _, _ in passage[index]]
        melodic = [passage[i] for i in pitched]
        if any(melodic):
            stats = piece_statistics(passage_score(melodic, [names[i] for i in pitched],
                                                   [0] * len(pitched)))
            in_key.append(stats["in_key_rate"])
            polyphony.append(stats["polyphony"])
    return {"empty_bar_rate": _mean(empty), "pitch_classes_per_bar": _mean(classes),
            "qualified_note_rate": _mean(qualified), "drum_pattern_rate": _mean(on_beat),
            "tonal_distance": _mean(distances), "in_key_rate": _mean(in_key),
            "polyphony": _mean(polyphony)}
