import pytest
import torch

from artforge.encoders.vgg16 import VGG16Features
from artforge.image.gan.perceptual import LAYERS, perceptual_distance
from artforge.image.gan.train import gan_class
from tests.image.conftest import TINY_GAN


def _unit(x: torch.Tensor) -> torch.Tensor:
    return x / x.norm(dim=1, keepdim=True)


def test_distance_is_lpips_with_unit_weights_on_vgg16_features():
    torch.manual_seed(0)
    a, b = torch.rand(2, 3, 16, 16) * 2 - 1, torch.rand(2, 3, 16, 16) * 2 - 1
    assert perceptual_distance(a, a).item() == pytest.approx(0.0, abs=1e-6)
    a.requires_grad_(True)
    distance = perceptual_distance(a, b)
    with torch.no_grad():
        fa, fb = (VGG16Features(LAYERS)((x + 1) / 2) for x in (a, b))
    expected = sum((_unit(fa[n]) - _unit(fb[n])).square().sum(1).mean() for n in LAYERS)
    assert distance.item() == pytest.approx(expected.item(), rel=1e-5)
    # Unit vectors of non-negative (ReLU) features are at most sqrt(2) apart.
    assert 0 < distance.item() < 2 * len(LAYERS)
    distance.backward()
    assert a.grad is not None and a.grad.abs().sum() > 0


def test_fastgan_decoders_rebuild_whole_and_quarter_at_the_targets_size():
    torch.manual_seed(0)
    model = gan_class("fastgan").from_config(TINY_GAN)
    images = torch.rand(2, 3, 16, 16) * 2 - 1
    logits, pairs = model.discriminator.forward_with_reconstruction(images, part=3)
    assert logits.shape[0] == 2 and len(pairs) == 2
    for rebuilt, target in pairs:
        assert rebuilt.shape == target.shape
    corner = torch.nn.functional.interpolate(images[:, :, 8:, 8:], size=pairs[1][1].shape[-1],
                                             mode="area")
    assert torch.equal(pairs[1][1], corner)
    _, extra = model.discriminate_real(images)
    assert extra.item() > 0 and extra.requires_grad
