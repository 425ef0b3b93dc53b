import pytest
import symusic

from artforge.music.metrics import (
    estimate_key,
    longest_copied_run,
    piece_statistics,
    reference_ngrams,
)
from tests.music.fixtures import C_MAJOR, TPQ, melody_score


def test_statistics_of_a_known_piece():
    score = melody_score(C_MAJOR, bass=False)  # two bars of quarter notes
    score.tracks[0].notes.append(symusic.Note(8 * TPQ + 2 * 4 * TPQ, TPQ, 61, 80))  # bar 5: C#
    stats = piece_statistics(score, key="C major")
    assert stats["empty_bar_rate"] == pytest.approx(2 / 5)  # bars 3 and 4 are silent
    assert stats["pitch_classes_per_bar"] == pytest.approx((4 + 4 + 1) / 3)
    assert stats["qualified_note_rate"] == 1.0
    assert stats["polyphony"] == 1.0
    assert stats["in_key_rate"] == pytest.approx(8 / 9)


def test_polyphony_counts_notes_sounding_together():
    stats = piece_statistics(melody_score(C_MAJOR, bass=True))
    assert stats["polyphony"] == 2.0 and stats["in_key_rate"] == 1.0


def test_key_estimation():
    assert estimate_key(C_MAJOR) == "C major"
    assert estimate_key([p + 7 for p in C_MAJOR]) == "G major"
    assert estimate_key([57, 59, 60, 62, 64, 65, 68, 69]) == "A minor"  # with G#


def test_longest_copied_run(tmp_path):
    melody_score(C_MAJOR, bass=False).dump_midi(tmp_path / "train.mid")
    grams = reference_ngrams([tmp_path / "train.mid"], longest=8)
    assert longest_copied_run([1, 62, 64, 65, 67, 2], grams, 8) == 4
    assert longest_copied_run([1, 2, 3], grams, 8) == 0
    assert longest_copied_run(C_MAJOR, grams, 8) == 8
