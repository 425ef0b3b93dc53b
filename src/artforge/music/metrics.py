"""Statistics of generated music, after MuseGAN (Dong et al., 2018): empty bars, used pitch
classes per bar, qualified notes, polyphony, in-key rate, and originality (the longest run of
notes copied from the training set)."""

from pathlib import Path

import symusic

from artforge.errors import UserError
from artforge.music.constraints import MAJOR, MINOR, key_name, scale_pitch_classes
from artforge.music.ingest import SkipFile, music_files, read_score


def _notes(score: symusic.Score) -> list:
    return sorted((n for t in score.tracks for n in t.notes), key=lambda n: (n.time, n.pitch))


def estimate_key(pitches: list[int]) -> str:
    """The major or minor key whose scale holds the most of `pitches` (ties: major first)."""
    best, best_count = "C major", -1
    for minor, steps in ((False, MAJOR), (True, MINOR)):
        for root in range(12):
            scale = {(root + s) % 12 for s in steps}
            count = sum(p % 12 in scale for p in pitches) - (len(steps) - 7) * len(pitches) / 24
            if count > best_count:
                best, best_count = key_name(root, minor), count
    return best


def piece_statistics(score: symusic.Score, key: str | None = None) -> dict[str, float]:
    notes = _notes(score)
    bar = score.tpq * 4
    bars = max(1, -(-max(n.time + n.duration for n in notes) // bar)) if notes else 1
    classes: list[set[int]] = [set() for _ in range(bars)]
    for note in notes:
        classes[min(note.time // bar, bars - 1)].add(note.pitch % 12)
    used = [len(c) for c in classes if c]
    step = max(1, score.tpq // 4)
    sounding = []
    for tick in range(0, bars * bar, step):
        count = sum(n.time <= tick < n.time + n.duration for n in notes)
        if count:
            sounding.append(count)
    scale = scale_pitch_classes(key or estimate_key([n.pitch for n in notes]))
    return {
        "empty_bar_rate": sum(not c for c in classes) / bars,
        "pitch_classes_per_bar": sum(used) / len(used) if used else 0.0,
        "qualified_note_rate": (sum(n.duration >= score.tpq / 8 for n in notes) / len(notes)
                                if notes else 0.0),
        "polyphony": sum(sounding) / len(sounding) if sounding else 0.0,
        "in_key_rate": sum(n.pitch % 12 in scale for n in notes) / len(notes) if notes else 0.0,
    }


def longest_copied_run(pitches: list[int], reference: set[tuple[int, ...]], longest: int) -> int:
    """Length of the longest run of `pitches` that appears in a training piece; `reference`
    holds every training n-gram up to `longest` notes."""
    best = 0
    for n in range(1, longest + 1):
        if not any(tuple(pitches[i:i + n]) in reference for i in range(len(pitches) - n + 1)):
            break
        best = n
    return best


def reference_ngrams(files: list[Path], longest: int = 32) -> set[tuple[int, ...]]:
    grams: set[tuple[int, ...]] = set()
    for path in files:
        try:
            pitches = [n.pitch for n in _notes(read_score(path))]
        except SkipFile:
            continue
        for n in range(1, longest + 1):
            grams.update(tuple(pitches[i:i + n]) for i in range(len(pitches) - n + 1))
    return grams


def describe_folder(folder: str, reference: str | None = None,
                    key: str | None = None) -> dict[str, float | int]:
    """Mean statistics over the MIDI files in `folder`; with `reference` data, originality."""
    scores = []
    for path in music_files(Path(folder)):
        try:
            scores.append(read_score(path))
        except SkipFile:
            continue
    if not scores:
        raise UserError(f"{folder} holds no generated music with notes.")
    rows = [piece_statistics(score, key) for score in scores]
    summary: dict[str, float | int] = {"pieces": len(rows)}
    for name in rows[0]:
        summary[name] = sum(r[name] for r in rows) / len(rows)
    if reference is not None:
        from artforge.music.datasets import music_splits

        grams = reference_ngrams(music_splits(reference).train)
        runs = [longest_copied_run([n.pitch for n in _notes(s)], grams, 32) for s in scores]
        summary["longest_copied_run_notes"] = max(runs)
    return summary
