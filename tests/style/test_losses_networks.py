"""Losses with exact values, the networks' shapes, AdaIN's statistics, builtin:photos."""

import numpy as np
import pytest
import torch

from artforge.data.photos import load_photo, photo_crops, photo_names
from artforge.style.losses import gram, mean_std, relative_mse, temporal_loss, tv_loss
from artforge.style.networks import AdaINDecoder, TransformerNet, adain, pad_to_multiple


def test_gram_is_averaged_over_positions_and_masks_count_only_their_region():
    features = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [0.0, 1.0]]]])
    assert gram(features)[0].tolist() == [[7.5, 1.5], [1.5, 0.5]]
    left = torch.tensor([[[[1.0, 0.0], [1.0, 0.0]]]])
    assert gram(features, left)[0].tolist() == [[5.0, 0.0], [0.0, 0.0]]


def test_relative_tv_and_temporal_losses_exactly():
    target = torch.tensor([[3.0, 4.0]])
    assert float(relative_mse(torch.tensor([[3.0, 5.0]]), target)) == pytest.approx(1 / 25)
    ramp = torch.arange(4.0).view(1, 1, 2, 2)  # [[0, 1], [2, 3]]
    assert float(tv_loss(ramp)) == pytest.approx(1.0 + 4.0)
    frame, warped = torch.ones(1, 3, 2, 2), torch.zeros(1, 3, 2, 2)
    reliable = torch.tensor([[[[1.0, 0.0], [0.0, 0.0]]]])
    assert float(temporal_loss(frame, warped, reliable)) == pytest.approx(1.0)
    assert float(temporal_loss(frame, warped, torch.zeros_like(reliable))) == 0.0


def test_adain_moves_the_statistics_and_networks_keep_the_size():
    gen = torch.Generator().manual_seed(0)
    content = torch.randn(1, 4, 6, 6, generator=gen) * 3 + 1
    style = torch.randn(1, 4, 5, 5, generator=gen) * 0.5 - 2
    moved_mean, moved_std = mean_std(adain(content, *mean_std(style)))
    style_mean, style_std = mean_std(style)
    assert torch.allclose(moved_mean, style_mean, atol=1e-5)
    assert torch.allclose(moved_std, style_std, atol=1e-3)
    torch.manual_seed(0)
    net = TransformerNet((4, 8, 8), res_blocks=1)
    padded, height, width = pad_to_multiple(torch.rand(1, 3, 30, 23), 4)
    assert padded.shape == (1, 3, 32, 24) and (height, width) == (30, 23)
    with torch.no_grad():
        out = net(padded)
    assert out.shape == (1, 3, 32, 24) and float(out.min()) > 0 and float(out.max()) < 1
    assert AdaINDecoder(0.05)(torch.rand(2, 512, 4, 5)).shape == (2, 3, 32, 40)
    assert AdaINDecoder(0.05, "relu3_1")(torch.rand(2, 256, 8, 10)).shape == (2, 3, 32, 40)


def test_builtin_photos_are_rgb_and_crops_are_seeded():
    assert {"astronaut", "chelsea", "china", "flower", "camera"} <= set(photo_names())
    assert load_photo("china").size == (640, 427) and load_photo("coins").mode == "RGB"
    first, again = photo_crops(4, 16, seed=3), photo_crops(4, 16, seed=3)
    assert first.shape == (4, 3, 16, 16) and first.dtype == np.uint8
    assert np.array_equal(first, again) and not np.array_equal(first, photo_crops(4, 16, 4))
