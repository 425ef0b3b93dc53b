"""Monophonic melodies as MusicVAE reads them (Roberts et al., 2018): one event per 16th note,
each a new note's pitch, NOTE_OFF (a rest starts), or NO_EVENT (whatever sounds goes on).

A track's melody is its highest voice: of the notes starting on a step the highest one is
taken, and it is interrupted only by a higher onset (a lower accompaniment note under a held
melody note is ignored) or by the next onset after it ended. A bar is four quarter notes
(16 steps), as in MusicVAE, which keeps 4/4 pieces only; here pieces in other metres are used
too and their windows simply cross the bar lines.
"""

from collections.abc import Sequence

import symusic

HOLD, REST = 0, 1
"""NO_EVENT and NOTE_OFF; a silent start is HOLD too (a rest is marked only when a note ends)."""
LOWEST, HIGHEST = 21, 108
"""The 88 keys of a piano; notes outside are left out."""
VOCAB = 2 + HIGHEST - LOWEST + 1
STEPS_PER_BEAT = 4
STEPS_PER_BAR = 4 * STEPS_PER_BEAT
TPQ = 480
"""Ticks per quarter of the MIDI files written here."""


def pitch_token(pitch: int) -> int:
    return 2 + pitch - LOWEST


def token_pitch(token: int) -> int | None:
    return token - 2 + LOWEST if token >= 2 else None


def to_step(tick: int, tpq: int) -> int:
    return round(tick * STEPS_PER_BEAT / tpq)


def highest_voice(notes: Sequence[symusic.Note], tpq: int, length: int | None = None
                  ) -> list[int]:
    """Event tokens of a track's highest voice, `length` steps long (default: to its end)."""
    onsets: dict[int, tuple[int, int]] = {}
    for note in notes:
        if not LOWEST <= note.pitch <= HIGHEST:
            continue
        start = to_step(note.time, tpq)
        end = max(start + 1, to_step(note.time + note.duration, tpq))
        onsets[start] = max(onsets.get(start, (-1, 0)), (note.pitch, end))
    total = max((end for _, end in onsets.values()), default=0) if length is None else length
    tokens = [HOLD] * total
    current, current_end = None, 0
    for step in range(total):
        sounding = current is not None and step < current_end
        onset = onsets.get(step)
        if onset is not None and not (sounding and current > onset[0]):
            tokens[step] = pitch_token(onset[0])
            current, current_end = onset
        elif current is not None and not sounding:
            tokens[step], current = REST, None
    return tokens


def score_melodies(score: symusic.Score) -> list[list[int]]:
    """The highest voice of every pitched track that has notes in the piano's range."""
    melodies = []
    for track in score.tracks:
        if track.is_drum:
            continue
        tokens = highest_voice(track.notes, score.tpq)
        if any(token >= 2 for token in tokens):
            melodies.append(tokens)
    return melodies


def sounding_before(tokens: Sequence[int], step: int) -> int | None:
    """The token of the note sounding just before `step`, or None in a rest."""
    for token in reversed(tokens[:step]):
        if token == REST:
            return None
        if token >= 2:
            return token
    return None


def cut(tokens: Sequence[int], start: int, length: int) -> list[int]:
    """Steps [start, start + length) as a melody of its own: a note held into the window is
    struck again at its first step, and past the melody's end there is silence."""
    window = list(tokens[start:start + length])
    if len(window) < length:
        ending = REST if sounding_before(tokens, len(tokens)) is not None else HOLD
        window += [ending] + [HOLD] * (length - len(window) - 1)
    held = sounding_before(tokens, start)
    if window[0] == HOLD and held is not None:
        window[0] = held
    if window[0] == REST:
        window[0] = HOLD
    return window


def usable(window: Sequence[int], bars: int) -> bool:
    """MusicVAE-style filter: at least two notes a bar, no rest longer than a bar."""
    if sum(token >= 2 for token in window) < 2 * bars:
        return False
    silent, longest = 0, 0
    state_silent = True
    for token in window:
        if token >= 2:
            state_silent = False
        elif token == REST:
            state_silent = True
        silent = silent + 1 if state_silent else 0
        longest = max(longest, silent)
    return longest <= STEPS_PER_BAR


def windows(tokens: Sequence[int], bars: int, stride_bars: int = 1) -> list[list[int]]:
    """Every usable window of `bars` bars, starting on each `stride_bars`-th bar line."""
    length, stride = bars * STEPS_PER_BAR, stride_bars * STEPS_PER_BAR
    found = []
    for start in range(0, len(tokens) - length + 1, stride):
        window = cut(tokens, start, length)
        if usable(window, bars):
            found.append(window)
    return found


def melody_notes(tokens: Sequence[int]) -> list[tuple[int, int, int]]:
    """(start step, steps, pitch) of each note of an event sequence."""
    notes, current, start = [], None, 0
    for step, token in enumerate([*tokens, REST]):
        if token == HOLD:
            continue
        if current is not None:
            notes.append((start, step - start, current))
            current = None
        if token >= 2:
            current, start = token_pitch(token), step
    return notes


def melodies_score(melodies: Sequence[Sequence[int]], *, program: int = 0, gap_bars: int = 0,
                   velocity: int = 90) -> symusic.Score:
    """The melodies one after another in one track (a `gap_bars` rest between them)."""
    score = symusic.Score(TPQ)
    score.time_signatures.append(symusic.TimeSignature(0, 4, 4))
    score.tempos.append(symusic.Tempo(0, 120))
    track = symusic.Track(name="melody", program=program)
    tick = TPQ // STEPS_PER_BEAT
    offset = 0
    for melody in melodies:
        for start, steps, pitch in melody_notes(melody):
            track.notes.append(symusic.Note((offset + start) * tick, steps * tick, pitch,
                                            velocity))
        offset += len(melody) + gap_bars * STEPS_PER_BAR
    score.tracks.append(track)
    return score


def note_density(tokens: Sequence[int]) -> float:
    """Notes per bar."""
    return sum(token >= 2 for token in tokens) * STEPS_PER_BAR / max(1, len(tokens))


def pitch_range(tokens: Sequence[int]) -> int:
    """Semitones between the lowest and highest note (0 for fewer than two notes)."""
    pitches = [token for token in tokens if token >= 2]
    return max(pitches) - min(pitches) if pitches else 0
