"""Melody extraction on the 16th grid: highest voice, windows, and the MIDI round trip."""

import pytest
import symusic
import torch

from artforge.music.melody import (
    HOLD,
    REST,
    VOCAB,
    cut,
    highest_voice,
    melodies_score,
    melody_notes,
    note_density,
    pitch_range,
    pitch_token,
    usable,
    windows,
)
from artforge.music.vae.data import MelodyWindows, file_melodies, melody_windows, transposed
from tests.melody_and_band.fixtures import SIXTEENTH, chorale_score, write_melody
from tests.music.fixtures import drum_score

P = pitch_token


def notes(*spec: tuple[int, int, int]) -> list[symusic.Note]:
    """(start step, steps, pitch) → symusic notes at 480 ticks a quarter."""
    return [symusic.Note(s * SIXTEENTH, n * SIXTEENTH, p, 80) for s, n, p in spec]


def test_highest_voice_keeps_the_top_onset_and_ignores_lower_ones_under_it():
    track = notes((0, 4, 60), (0, 2, 64), (4, 4, 55), (6, 2, 50), (8, 2, 72))
    assert highest_voice(track, 480) == [P(64), HOLD, REST, HOLD, P(55), HOLD, HOLD, HOLD,
                                         P(72), HOLD]


def test_a_higher_onset_interrupts_and_a_note_ends_with_note_off():
    track = notes((0, 8, 60), (2, 1, 67), (12, 2, 62))
    assert highest_voice(track, 480, length=16) == [
        P(60), HOLD, P(67), REST, HOLD, HOLD, HOLD, HOLD, HOLD, HOLD, HOLD, HOLD, P(62), HOLD,
        REST, HOLD]


def test_melody_midi_round_trip():
    tokens = [P(60), HOLD, P(62), REST, HOLD, P(67), HOLD, HOLD, P(65), P(64), REST, HOLD,
              P(72), HOLD, HOLD, HOLD] * 2
    score = melodies_score([tokens])
    back = symusic.Score.from_midi(score.dumps_midi())
    assert highest_voice(back.tracks[0].notes, back.tpq, length=len(tokens)) == tokens
    assert melody_notes(tokens)[:3] == [(0, 2, 60), (2, 1, 62), (5, 3, 67)]


def test_cut_restrikes_a_held_note_and_drops_a_leading_note_off():
    tokens = [P(60), HOLD, HOLD, HOLD, P(62), REST, HOLD, HOLD]
    assert cut(tokens, 2, 4) == [P(60), HOLD, P(62), REST]
    assert cut(tokens, 5, 4) == [HOLD, HOLD, HOLD, HOLD]
    assert cut(tokens[:5], 2, 6) == [P(60), HOLD, P(62), REST, HOLD, HOLD]  # silence after


def test_windows_need_two_notes_a_bar_and_no_rest_over_a_bar():
    busy = ([P(60), HOLD, HOLD, HOLD] * 4) * 3
    assert len(windows(busy, 2)) == 2 and all(len(w) == 32 for w in windows(busy, 2))
    sparse = [P(60)] + [HOLD] * 31
    assert not usable(sparse, 2)
    gap = [P(60), REST] + [HOLD] * 18 + [P(62), HOLD, P(64), HOLD] * 3
    assert not usable(gap, 2)


def test_density_and_range():
    tokens = [P(60), HOLD, P(67), HOLD] * 8
    assert note_density(tokens) == 8.0
    assert pitch_range(tokens) == 7
    assert pitch_range([HOLD] * 16) == 0


def test_files_give_one_melody_per_track_and_drum_files_are_skipped(tmp_path):
    chorale = tmp_path / "c.mid"
    chorale_score().dump_midi(chorale)
    melodies = file_melodies(chorale)
    assert len(melodies) == 4 and melodies[0][:9] == [P(60)] + [HOLD] * 7 + [P(62)]
    drum_score().dump_midi(tmp_path / "drums.mid")
    (tmp_path / "empty.mid").write_bytes(b"")
    rows, skipped = melody_windows([chorale, tmp_path / "drums.mid", tmp_path / "empty.mid"], 2)
    assert rows.shape == (4 * 7, 32)
    assert [(p.name, why) for p, why in skipped] == [("drums.mid", "only drum tracks"),
                                                      ("empty.mid", "zero-length file")]


def test_transposition_moves_whole_melodies_and_never_off_the_keyboard():
    torch.manual_seed(0)
    row = torch.tensor([[P(60), HOLD, P(64), REST]])
    top = torch.tensor([[P(108), HOLD, P(60), REST]])
    moved = transposed(torch.cat([row, top]), 5)
    shift = int(moved[0, 0] - row[0, 0])
    assert moved[0].tolist() == [P(60 + shift), HOLD, P(64 + shift), REST]
    assert int(moved[1].max()) < VOCAB and int(moved[1, 1]) == HOLD
    assert len(MelodyWindows(torch.cat([row, top]), 5)) == 2


@pytest.mark.parametrize("pitches", [[60, 62], [60] * 7])
def test_short_melody_files_give_no_windows(tmp_path, pitches):
    path = write_melody(tmp_path / "short.mid", pitches)
    rows, skipped = melody_windows([path], 2)
    assert rows.shape == (0, 32) and "no stretch of 2 bars" in skipped[0][1]
