"""Tiny music made in the tests: melodies on the 16th grid, and four-voice 'chorales' in C major
whose voices move by step, so that band passages and melody windows are known exactly."""

from pathlib import Path

import symusic

from tests.music.fixtures import TPQ, melody_score

SIXTEENTH = TPQ // 4
CHORDS = [(60, 55, 52, 48), (62, 57, 53, 50), (64, 59, 55, 52), (65, 60, 57, 53),
          (67, 62, 59, 55), (65, 60, 57, 53), (64, 59, 55, 52), (62, 57, 53, 50)]
"""Soprano, alto, tenor, bass of eight bars: parallel triads up a scale and back."""


def chorale_score(shift: int = 0, bars: int = 8) -> symusic.Score:
    """Four named voices, one half-note chord tone then two quarter notes a bar."""
    score = symusic.Score(TPQ)
    score.time_signatures.append(symusic.TimeSignature(0, 4, 4))
    for voice, name in enumerate(("Soprano", "Alto", "Tenor", "Bass")):
        track = symusic.Track(name=name, program=0)
        for bar in range(bars):
            pitch = CHORDS[bar % len(CHORDS)][voice] + shift
            start = bar * 4 * TPQ
            track.notes.append(symusic.Note(start, 2 * TPQ, pitch, 80))
            track.notes.append(symusic.Note(start + 2 * TPQ, TPQ, pitch + 2, 80))
            track.notes.append(symusic.Note(start + 3 * TPQ, TPQ, pitch, 80))
        score.tracks.append(track)
    return score


def write_chorales(folder: Path, count: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        chorale_score(shift=index % 3 - 1).dump_midi(folder / f"chorale{index}.mid")
    return folder


def write_melody(path: Path, pitches: list[int]) -> Path:
    """Quarter notes of `pitches` in one track (no bass)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    melody_score(pitches, bass=False).dump_midi(path)
    return path
