"""Tiny real music files made in the test: scales and chords in C major, a drum loop, a
corrupt file and an empty one."""

from pathlib import Path

import symusic

TPQ = 480
C_MAJOR = [60, 62, 64, 65, 67, 69, 71, 72]


def melody_score(pitches: list[int], *, bass: bool = True, program: int = 0) -> symusic.Score:
    """Quarter notes of `pitches` (four bars a pass, repeated), with a whole-note bass."""
    score = symusic.Score(TPQ)
    score.time_signatures.append(symusic.TimeSignature(0, 4, 4))
    score.tempos.append(symusic.Tempo(0, 120))
    melody = symusic.Track(program=program)
    for i, pitch in enumerate(pitches):
        melody.notes.append(symusic.Note(i * TPQ, TPQ, pitch, 80))
    score.tracks.append(melody)
    if bass:
        low = symusic.Track(program=32)
        for bar in range(len(pitches) // 4):
            low.notes.append(symusic.Note(bar * 4 * TPQ, 4 * TPQ, 48 if bar % 2 == 0 else 43, 70))
        score.tracks.append(low)
    return score


def drum_score() -> symusic.Score:
    score = symusic.Score(TPQ)
    drums = symusic.Track(program=0, is_drum=True)
    for i in range(16):
        drums.notes.append(symusic.Note(i * TPQ, TPQ // 2, 36 if i % 2 == 0 else 38, 100))
    score.tracks.append(drums)
    return score


def write_song_folder(folder: Path, songs: int = 4, *, bad: bool = True) -> Path:
    """`songs` C-major pieces (scales up and down, shifted), plus a corrupt `.mid`, a zero-length
    one and a drum-only one when `bad`."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(songs):
        up = [p + (index % 3) * 2 for p in C_MAJOR]
        pitches = (up + up[::-1]) * 2
        melody_score(pitches).dump_midi(folder / f"song{index}.mid")
    if bad:
        (folder / "corrupt.mid").write_bytes(b"MThd this is not really a midi file at all")
        (folder / "empty.mid").write_bytes(b"")
        drum_score().dump_midi(folder / "drums.mid")
    return folder
