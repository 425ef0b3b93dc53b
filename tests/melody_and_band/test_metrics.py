"""Band and latent-space metrics, exact on hand-made piano rolls and melodies."""

import math

import pytest
import torch

from artforge.music.band_metrics import band_statistics, tonal_distance, tonal_matrix
from artforge.music.melody import HOLD, REST, pitch_token
from artforge.music.vae.metrics import (
    data_space_interpolation,
    hamming,
    neighbour_distances,
    reconstruction,
)
from tests.melody_and_band.test_vae import melodies, tiny

P = pitch_token


def test_tonal_centroid_of_c_and_g():
    phi = tonal_matrix()
    assert phi[:, 0].tolist() == pytest.approx([0, 1, 0, 1, 0, 0.5], abs=1e-12)
    # G (7): fifths circle at 49*pi/6 = pi/6, minor thirds at 21*pi/2 = pi/2,
    # major thirds at 14*pi/3 = 2*pi/3
    expected = math.sqrt(0.5 ** 2 + (1 - math.cos(math.pi / 6)) ** 2 + 1 + 1
                         + (0.5 * math.sin(2 * math.pi / 3)) ** 2 + (0.5 + 0.25) ** 2)
    assert tonal_distance([(0, 16, 60)], [(0, 16, 67)], 1) == pytest.approx(expected)
    assert tonal_distance([(0, 16, 60)], [(0, 8, 48), (8, 8, 72)], 1) == 0.0
    assert tonal_distance([(0, 16, 60)], [(16, 16, 62)], 2) is None  # never together


def test_band_statistics_on_a_hand_made_passage():
    melody = [(0, 4, 60), (4, 4, 64), (8, 8, 67), (16, 1, 62)]  # bars 1-2; bars 3-4 empty
    bass = [(0, 16, 48), (16, 16, 43), (32, 16, 48), (48, 16, 43)]
    drums = [(0, 1, 36), (2, 1, 42), (3, 1, 42), (4, 1, 38)]
    stats = band_statistics([[melody, bass, drums]], ["melody", "bass", "drums"], 4)
    assert stats["empty_bar_rate"] == 2 / 8
    assert stats["pitch_classes_per_bar"] == (3 + 1 + 1 + 1 + 1 + 1) / 6
    assert stats["qualified_note_rate"] == 7 / 8
    assert stats["drum_pattern_rate"] == 3 / 4
    first_bar = tonal_distance(melody, bass, 1)
    second = tonal_distance([(0, 1, 62)], [(0, 16, 43)], 1)
    assert stats["tonal_distance"] == pytest.approx((first_bar + second) / 2)
    assert stats["in_key_rate"] == 1.0


def test_no_drums_gives_no_drum_pattern():
    stats = band_statistics([[[(0, 16, 60)]]], ["melody"], 1)
    assert math.isnan(stats["drum_pattern_rate"]) and math.isnan(stats["tonal_distance"])


def test_neighbour_distance_and_data_space_baseline():
    a = [P(60), HOLD, HOLD, HOLD] * 4
    b = [P(67), HOLD, P(65), REST] * 4
    assert hamming(a, b) == 12 / 16
    steps = data_space_interpolation(a, b, 5)
    assert steps[0] == a and steps[-1] == b
    assert neighbour_distances([a, a, b]) == [0.0, 0.75]


def test_reconstruction_metrics_are_shares_and_nats():
    model = tiny()
    result = reconstruction(model, melodies(3), batch_size=2)
    assert 0 <= result["greedy_accuracy"] <= 1 and 0 <= result["greedy_event_accuracy"] <= 1
    expected = model.validation_step(melodies(3))
    assert result["nll"] == pytest.approx(expected["loss"], rel=1e-5)
    rebuilt = model.reconstruct(melodies(3))
    assert result["greedy_accuracy"] == pytest.approx(float((rebuilt == melodies(3)).float()
                                                            .mean()), rel=1e-6)
    assert torch.equal(rebuilt, model.reconstruct(melodies(3)))
