"""stylegan-lite: StyleGAN2's controls (styles per layer, mixing, truncation in w) on one
modulated convolution per resolution and a strided discriminator."""

import torch
from click.testing import CliRunner
from PIL import Image

from artforge.cli import app
from artforge.image.gan.networks.stylegan import ResidualDown, StyleGenerator
from artforge.image.gan.networks.stylegan_lite import StridedDown
from artforge.image.gan.sampling import generate, seeded_latents
from artforge.image.gan.train import gan_class
from tests.image.conftest import TINY_GAN


def tiny_lite(size: int = 32):
    torch.manual_seed(0)
    model = gan_class("stylegan-lite").from_config(TINY_GAN.replace(size=size)).eval()
    for layer in model.generator.layers:  # noise and a mean w as a trained model has them
        layer.noise_strength.data.fill_(0.3)
    model.generator.w_avg.normal_()
    return model


def test_one_style_layer_per_resolution_and_a_strided_discriminator_at_32_px():
    model = tiny_lite()
    generator, discriminator = model.generator, model.discriminator
    assert generator.num_ws == len(generator.layers) == 4  # 4x4, then 8, 16 and 32 px
    assert [layer.conv.up for layer in generator.layers] == [False, True, True, True]
    assert [type(block) for block in discriminator.blocks] == [StridedDown] * 3
    pictures = generate(model, seeded_latents(model, 3, seed=1), seed=1)
    assert pictures.shape == (3, 3, 32, 32)
    assert discriminator(pictures * 2 - 1).shape == (3,)
    assert discriminator.from_rgb is None  # the first block reads the pixels
    assert discriminator.blocks(torch.zeros(3, 3, 32, 32)).shape == (3, 16, 4, 4)


def test_stylegans_generator_keeps_two_convolutions_per_resolution_and_its_weight_names():
    generator = StyleGenerator(4, 4, 1, size=32, base=2, most=8)
    assert generator.num_ws == 7
    assert "layers.6.conv.weight" in generator.state_dict()
    stylegan = gan_class("stylegan").from_config(TINY_GAN)
    assert isinstance(stylegan.discriminator.blocks[0], ResidualDown)


def _input_of_last_layer(model, z, **options) -> tuple[torch.Tensor, torch.Tensor]:
    seen = []
    hook = model.generator.layers[-1].register_forward_hook(
        lambda module, args, out: seen.append(args[0]))
    pictures = generate(model, z, seed=4, **options)
    hook.remove()
    return seen[0], pictures


def test_mixing_at_the_last_layer_changes_only_the_finest_style():
    model = tiny_lite()
    z, other = seeded_latents(model, 4, seed=2).split(2)
    last = model.generator.num_ws - 1
    coarse, plain = _input_of_last_layer(model, z)
    mixed_coarse, mixed = _input_of_last_layer(model, z, mix_z=other, crossover=last)
    assert torch.equal(mixed_coarse, coarse)  # everything up to 16 px is z's
    assert (mixed - plain).abs().amax() > 0.01
    _, self_mixed = _input_of_last_layer(model, z, mix_z=z, crossover=last)
    assert torch.equal(self_mixed, plain)


def test_truncation_zero_draws_the_mean_style_for_any_latent():
    model = tiny_lite()
    z = seeded_latents(model, 2, seed=3)
    one, two = (generate(model, z[i:i + 1], seed=5, truncation=0.0) for i in range(2))
    assert torch.equal(one, two)
    assert not torch.equal(*(generate(model, z[i:i + 1], seed=5) for i in range(2)))
    styles = model.generator.styles(z, truncation=0.0)
    assert torch.equal(styles[0, 0], model.generator.w_avg)


def test_train_then_mix_through_the_command_line(tmp_path):
    runner = CliRunner()
    run = tmp_path / "run"
    trained = runner.invoke(app, ["image", "gan", "train", "--data", "builtin:abstract",
                                  "--arch", "stylegan-lite", "--size", "16", "--channels", "4",
                                  "--batch-size", "4", "--count", "8", "--device", "cpu",
                                  "--steps", "2", "--save-every", "2", "--out", str(run)])
    assert trained.exit_code == 0, trained.output
    out = tmp_path / "mix.png"
    mixed = runner.invoke(app, ["image", "gan", "sample", "--model", str(run), "--mix",
                                "--n", "2", "--out", str(out)])
    assert mixed.exit_code == 0, mixed.output
    assert Image.open(out).size == (3 * 16 + 2 * 2,) * 2
