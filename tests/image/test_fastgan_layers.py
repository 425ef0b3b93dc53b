"""FastGAN's networks compute the paper's functions in their cheaper arrangements: the up block
(nearest upsampling, 3x3 convolution, batch norm, GLU) as one transposed convolution against
those four steps written out, the whole generator and discriminator against their plain
evaluation, and checkpoints keep the names they had when an nn.Upsample led each up block."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from artforge.image.gan.networks.fastgan import FastDiscriminator, FastGenerator, UpBlock


def _reference_up_block(x: torch.Tensor, block: UpBlock) -> torch.Tensor:
    conv, norm = block
    up = F.interpolate(x, scale_factor=2, mode="nearest")
    normed = F.batch_norm(F.conv2d(up, conv.weight, padding=1), None, None, norm.weight,
                          norm.bias, training=True, eps=norm.eps)
    return F.glu(normed, dim=1)


def _outputs_and_gradients(forward, x: torch.Tensor, module: nn.Module) -> list[torch.Tensor]:
    module.zero_grad()
    x = x.clone().requires_grad_(True)
    out = forward(x)
    (out * torch.linspace(-1, 1, out.numel(), dtype=out.dtype).reshape(out.shape)).sum().backward()
    return [out.detach(), x.grad] + [p.grad.clone() for p in module.parameters()]


@pytest.mark.parametrize("channels_last", [False, True])
@pytest.mark.parametrize("height, width", [(4, 4), (3, 5)])
def test_the_up_block_gives_the_outputs_and_gradients_of_its_four_steps(height, width,
                                                                       channels_last):
    torch.manual_seed(0)
    block = UpBlock(3, 2).double()
    nn.init.normal_(block[1].weight, 1.0, 0.5)
    nn.init.normal_(block[1].bias, 0.0, 0.5)
    x = torch.randn(2, 3, height, width, dtype=torch.float64)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    fast = _outputs_and_gradients(block, x, block)
    reference = _outputs_and_gradients(lambda v: _reference_up_block(v, block), x, block)
    assert fast[0].shape == (2, 2, 2 * height, 2 * width)
    for a, b in zip(fast, reference, strict=True):
        assert torch.allclose(a, b, atol=1e-12, rtol=1e-12)
    assert float(fast[0].abs().max()) > 0.1 and float(fast[2].abs().max()) > 0.1


def _set_plain(network: nn.Module, plain: bool) -> None:
    for module in network.modules():
        if isinstance(module, UpBlock):
            module.plain = plain


def test_the_generator_and_discriminator_give_their_plain_evaluations_outputs_and_gradients():
    torch.manual_seed(0)
    generator = FastGenerator(z_dim=4, size=32, base=4, most=16).double()
    discriminator = FastDiscriminator(size=32, base=4, most=16).double()
    z, images = torch.randn(3, 4, dtype=torch.float64), torch.rand(3, 3, 32, 32).double()

    def discriminate(x):
        logits, pairs = discriminator.forward_with_reconstruction(x, part=3)
        return torch.cat([logits.flatten()] + [rebuilt.flatten() for rebuilt, _ in pairs])

    results = []
    for plain in (True, False):
        _set_plain(generator, plain)
        _set_plain(discriminator, plain)
        results.append(_outputs_and_gradients(generator, z, generator)
                       + _outputs_and_gradients(discriminate, images, discriminator))
    assert results[0][0].shape == (3, 3, 32, 32)
    for a, b in zip(*results, strict=True):
        assert torch.allclose(a, b, atol=1e-12, rtol=1e-12)


def test_checkpoints_keep_the_up_blocks_names_from_when_an_upsample_led_them():
    generator = FastGenerator(z_dim=4, size=32, base=4, most=16)
    discriminator = FastDiscriminator(size=32, base=4, most=16)
    norm = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert [k for k in generator.state_dict() if k.startswith("ups.2.")] == (
        ["ups.2.1.weight"] + [f"ups.2.2.{name}" for name in norm])
    assert [k for k in discriminator.state_dict() if k.startswith("decode_part.1.")] == (
        ["decode_part.1.1.weight"] + [f"decode_part.1.2.{name}" for name in norm])
    assert generator.ups[2][0].weight.shape == (8, 8, 3, 3)
