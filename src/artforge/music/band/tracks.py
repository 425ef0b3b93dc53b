"""Bands: a few named tracks playing together, on the 16th-note grid of the melody tools.

A passage is one note list per track, each note (start step, steps, pitch). A file's tracks are
matched to a model's track names by name first (the chorales' Soprano/Alto/Tenor/Bass) and
then by General MIDI family (drums, bass, guitar, piano, strings, as in MuseGAN's data).
"""

from collections.abc import Sequence

import symusic

from artforge.music.melody import STEPS_PER_BAR, STEPS_PER_BEAT, TPQ, to_step

Note = tuple[int, int, int]
Passage = list[list[Note]]

CHORALE = ("soprano", "alto", "tenor", "bass")
CHORALE_PROGRAMS = (73, 71, 70, 32)
"""Flute, clarinet, bassoon and acoustic bass: four colours that stay apart when heard."""
BAND = ("melody", "drums", "bass", "guitar", "piano", "strings")
BAND_PROGRAMS = (0, 0, 33, 25, 0, 48)
FAMILIES = {"bass": range(32, 40), "guitar": range(24, 32), "piano": range(0, 24),
            "strings": range(40, 56)}
"""General MIDI program ranges of each band role (piano takes the keyboards and organs)."""
MAX_TRACKS = 5
BARS = 4


def default_programs(names: Sequence[str]) -> tuple[int, ...]:
    table = dict(zip(CHORALE, CHORALE_PROGRAMS, strict=True))
    table.update({n: p for n, p in zip(BAND, BAND_PROGRAMS, strict=True) if n not in table})
    return tuple(table.get(name, 0) for name in names)


def role_of(track: symusic.Track, names: Sequence[str]) -> str | None:
    """The model track this file track plays: by its name, else drums / GM family."""
    label = track.name.strip().lower()
    for name in names:
        if label.startswith(name):
            return name
    if track.is_drum:
        return "drums" if "drums" in names else None
    for name in names:
        if name in FAMILIES and track.program in FAMILIES[name]:
            return name
    return None


def grid_notes(track: symusic.Track, tpq: int) -> list[Note]:
    notes = []
    for note in track.notes:
        start = to_step(note.time, tpq)
        end = max(start + 1, to_step(note.time + note.duration, tpq))
        notes.append((start, end - start, note.pitch))
    return sorted(set(notes))


def assign(score: symusic.Score, names: Sequence[str]) -> dict[str, list[Note]]:
    """Notes of each model track found in the score: the first file track of a role with
    notes wins; a "melody" track not named so is the highest-sounding track left over."""
    found: dict[str, list[Note]] = {}
    left = []
    for track in score.tracks:
        role = role_of(track, names)
        if role is not None and role not in found and len(track.notes):
            found[role] = grid_notes(track, score.tpq)
        elif len(track.notes) and not track.is_drum:
            left.append(track)
    if "melody" in names and "melody" not in found and left:  # the highest other track
        top = max(left, key=lambda t: sum(n.pitch for n in t.notes) / len(t.notes))
        found["melody"] = grid_notes(top, score.tpq)
    return found


def window(notes: Sequence[Note], start: int, steps: int) -> list[Note]:
    """The notes sounding in [start, start + steps), moved to start at 0 and cut at the end;
    a note held into the window counts from its first step."""
    cut = []
    for begin, length, pitch in notes:
        end = begin + length
        if end <= start or begin >= start + steps:
            continue
        a, b = max(begin, start), min(end, start + steps)
        cut.append((a - start, b - a, pitch))
    return cut


def passages(tracks: dict[str, list[Note]], names: Sequence[str], bars: int = BARS
             ) -> list[Passage]:
    """Every `bars`-bar window, one bar apart, in which each track plays in every bar."""
    if any(name not in tracks for name in names):
        return []
    steps = bars * STEPS_PER_BAR
    end = max(b + n for notes in tracks.values() for b, n, _ in notes)
    found = []
    for start in range(0, end - steps + 1, STEPS_PER_BAR):
        passage = [window(tracks[name], start, steps) for name in names]
        if all(not empty_bars(notes, bars) for notes in passage):
            found.append(passage)
    return found


def empty_bars(notes: Sequence[Note], bars: int) -> int:
    """Bars in which no note of the track sounds."""
    busy = set()
    for begin, length, _ in notes:
        busy.update(range(begin // STEPS_PER_BAR, (begin + length - 1) // STEPS_PER_BAR + 1))
    return sum(bar not in busy for bar in range(bars))


def passage_score(passage: Passage, names: Sequence[str], programs: Sequence[int],
                  *, offset: int = 0,
                  score: "symusic.Score | None" = None) -> symusic.Score:
    """The passage as a multi-track score (appended at step `offset` to `score` if given)."""
    if score is None:
        score = symusic.Score(TPQ)
        score.time_signatures.append(symusic.TimeSignature(0, 4, 4))
        score.tempos.append(symusic.Tempo(0, 100))
        for name, program in zip(names, programs, strict=True):
            score.tracks.append(symusic.Track(name=name.capitalize(), program=program,
                                              is_drum=name == "drums"))
    tick = TPQ // STEPS_PER_BEAT
    for track, notes in zip(score.tracks, passage, strict=True):
        for start, length, pitch in notes:
            track.notes.append(symusic.Note((offset + start) * tick, length * tick, pitch,
                                            100 if track.is_drum else 80))
    return score
