"""The StyleGAN2 layers compute the paper's functions in their cheaper arrangements: the
non-fused modulated convolution against the fused one, the residual block against its
formula written out, and the activation gains folded into weights against their places in
the paper."""

import math

import pytest
import torch
import torch.nn.functional as F

from artforge.image.gan.networks.stylegan import (
    GAIN,
    EqualConv,
    ModulatedConv,
    ResidualDown,
    StyleDiscriminator,
    StyleGenerator,
    StyleLayer,
)


def _outputs_and_gradients(conv: ModulatedConv, x: torch.Tensor, w: torch.Tensor, fused: bool):
    conv.fused = fused
    conv.zero_grad()
    x, w = x.clone().requires_grad_(True), w.clone().requires_grad_(True)
    out = conv(x, w)
    (out * torch.linspace(-1, 1, out.numel()).reshape(out.shape)).sum().backward()
    return [out.detach(), x.grad, w.grad] + [p.grad for p in conv.parameters()]


@pytest.mark.parametrize("demodulate, up, gain", [(True, False, 1.0), (False, False, 1.0),
                                                  (True, True, GAIN), (False, True, GAIN)])
def test_the_non_fused_modulated_convolution_gives_the_fused_outputs_and_gradients(
        demodulate, up, gain):
    torch.manual_seed(0)
    conv = ModulatedConv(3, 4, 3, w_dim=5, demodulate=demodulate, up=up, gain=gain)
    x, w = torch.randn(2, 3, 5, 5), torch.randn(2, 5)
    fused = _outputs_and_gradients(conv, x, w, fused=True)
    plain = _outputs_and_gradients(conv, x, w, fused=False)
    assert plain[0].shape == (2, 4, 10 if up else 5, 10 if up else 5)
    for a, b in zip(fused, plain, strict=True):
        assert torch.allclose(a, b, atol=1e-5, rtol=1e-5)
    assert not torch.allclose(plain[0][0], plain[0][1])  # each sample has its own style


def test_the_generator_draws_the_same_pictures_with_either_form():
    torch.manual_seed(0)
    generator = StyleGenerator(z_dim=4, w_dim=4, mapping_layers=1, size=16, base=2, most=4)
    for layer in generator.layers:
        layer.noise_strength.data.fill_(0.5)
    z = torch.randn(3, 4)
    pictures = []
    for fused in (True, False):
        for module in generator.modules():
            if isinstance(module, ModulatedConv):
                module.fused = fused
        pictures.append(_seeded(generator, z))
    assert torch.allclose(pictures[0], pictures[1], atol=1e-5)
    assert pictures[1].shape == (3, 3, 16, 16)


def _seeded(generator: StyleGenerator, z: torch.Tensor) -> torch.Tensor:
    torch.manual_seed(1)  # the same noise inputs
    with torch.no_grad():
        return generator(z)


def _conv(layer: EqualConv, x: torch.Tensor) -> torch.Tensor:
    """The equalised-lr convolution written out, without a folded gain."""
    kernel = layer.weight / math.sqrt(layer.weight[0].numel())
    return F.conv2d(x, kernel, layer.bias, padding=kernel.shape[-1] // 2)


def _random_biases(module: torch.nn.Module) -> None:
    for layer in module.modules():
        if isinstance(layer, EqualConv) and layer.bias is not None:
            layer.bias.data.normal_()


def test_a_style_layer_adds_noise_and_bias_before_the_activation_and_its_gain():
    torch.manual_seed(0)
    layer = StyleLayer(2, 3, w_dim=4)
    layer.noise_strength.data.fill_(0.5)
    layer.bias.data.normal_()
    unit = ModulatedConv(2, 3, 3, w_dim=4)
    unit.load_state_dict(layer.conv.state_dict())
    x, w = torch.randn(2, 2, 4, 4), torch.randn(2, 4)
    torch.manual_seed(1)
    out = layer(x, w)
    torch.manual_seed(1)
    expected = unit(x, w) + 0.5 * torch.randn(2, 1, 4, 4) + layer.bias[:, None, None]
    assert torch.allclose(out, F.leaky_relu(expected, 0.2) * GAIN, atol=1e-6)


def test_the_residual_block_is_the_stylegan2_formula():
    torch.manual_seed(0)
    block = ResidualDown(2, 3)
    _random_biases(block)
    x = torch.randn(2, 2, 8, 8)
    y = F.leaky_relu(_conv(block.conv1, x), 0.2) * GAIN
    y = F.avg_pool2d(F.leaky_relu(_conv(block.conv2, y), 0.2) * GAIN, 2)
    expected = (y + F.avg_pool2d(_conv(block.skip, x), 2)) / math.sqrt(2)
    assert torch.allclose(block(x), expected, atol=1e-6)
    assert block(x).shape == (2, 3, 4, 4)


def test_the_discriminator_applies_the_activation_gain_around_its_blocks():
    torch.manual_seed(0)
    discriminator = StyleDiscriminator(16, 2, 4)
    _random_biases(discriminator)
    images = torch.randn(4, 3, 16, 16)
    x = F.leaky_relu(_conv(discriminator.from_rgb, images), 0.2) * GAIN
    x = discriminator.minibatch_std(discriminator.blocks(x))
    x = F.leaky_relu(_conv(discriminator.final_conv, x), 0.2) * GAIN
    expected = discriminator.final(x.flatten(1)).flatten()
    assert torch.allclose(discriminator(images), expected, atol=1e-6)
