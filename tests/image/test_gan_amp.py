"""Mixed precision: the Trainer runs GAN steps under autocast (bfloat16 where the GPU has it,
else float16 with a GradScaler). No GPU here, so the same steps run under CPU autocast."""

import pytest
import torch

from artforge.core.adversarial import r1_penalty
from artforge.core.optimizers import Optimizers
from artforge.core.train_config import TrainConfig
from artforge.image.gan.train import gan_class
from tests.image.conftest import TINY_GAN


def _optimizers(model, scaler: torch.amp.GradScaler) -> Optimizers:
    config = TrainConfig(lr=1e-3, grad_clip=None)
    return Optimizers(model.configure_optimizer(1e-3, 0.0, (0.5, 0.99)), config, scaler,
                      sync_gradients=True)


@pytest.mark.parametrize("arch", ["dcgan", "stylegan", "stylegan-lite", "fastgan"])
def test_a_bfloat16_autocast_step_trains_both_networks_and_keeps_fp32_weights(arch):
    torch.manual_seed(0)
    model = gan_class(arch).from_config(TINY_GAN.replace(r1_gamma=1.0, r1_every=1))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    optimizers = _optimizers(model, torch.amp.GradScaler("cpu", enabled=False))
    real = torch.rand(4, 3, 16, 16) * 2 - 1
    with torch.autocast("cpu", dtype=torch.bfloat16):
        losses = model.training_step(real, optimizers)
    assert all(torch.isfinite(v).all() for v in losses.values())
    for part in ("generator.", "discriminator."):
        assert any(not torch.equal(before[k], v) for k, v in model.state_dict().items()
                   if k.startswith(part))
    assert {v.dtype for v in model.state_dict().values() if v.is_floating_point()} == {
        torch.float32}


def test_float16_r1_takes_the_gradient_of_scaled_logits_and_unscales_it():
    def penalty(loss_scale: float) -> float:
        x = torch.full((2, 3), 0.5, dtype=torch.float16, requires_grad=True)
        # Per-pixel gradients of 1e-7: below float16's smallest normal number.
        return r1_penalty((x * 1e-7).sum(1), x, loss_scale).item()

    assert abs(penalty(1.0) / 3e-14 - 1) > 0.2  # unscaled: rounded to float16 subnormals
    assert penalty(2.0**16) == pytest.approx(3e-14, rel=1e-3)


def test_a_float16_step_with_a_grad_scaler_scales_the_losses_and_steps():
    torch.manual_seed(0)
    model = gan_class("dcgan").from_config(TINY_GAN.replace(r1_gamma=1.0, r1_every=1))
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**10)
    optimizers = _optimizers(model, scaler)
    before = model.generator.state_dict()["net.0.weight"].clone()
    with torch.autocast("cpu", dtype=torch.float16):
        losses = model.training_step(torch.rand(4, 3, 16, 16) * 2 - 1, optimizers)
    scaler.update()
    assert torch.isfinite(losses["r1"]) and losses["r1"] > 0
    assert not torch.equal(before, model.generator.state_dict()["net.0.weight"])
