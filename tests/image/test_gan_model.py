import pytest
import torch

from artforge.core import checkpoint
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer
from artforge.data.image_folders import load_image_set
from artforge.errors import UserError
from artforge.image.gan.diffaugment import adapt_strength
from artforge.image.gan.sampling import generate, seeded_latents
from artforge.image.gan.train import gan_class
from tests.image.conftest import TINY_GAN

ARCHS = ["dcgan", "stylegan", "stylegan-lite", "fastgan"]


def tiny(arch: str, **changes):
    torch.manual_seed(0)
    return gan_class(arch).from_config(TINY_GAN.replace(**changes))


def fit(model, run, steps: int, resume: bool = False):
    data = load_image_set("builtin:abstract", 16, count=16).dataset()
    config = TrainConfig(steps=steps, batch_size=4, lr=1e-3, grad_clip=None, save_every=2,
                         log_every=1, device="cpu", seed=0)
    return Trainer(model, config, run, data, resume=resume).fit()


@pytest.mark.parametrize("arch", ARCHS)
def test_one_step_moves_both_networks_and_logs_finite_losses(arch, tmp_path):
    model = tiny(arch, r1_gamma=1.0, r1_every=1)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    result = fit(model, tmp_path / "run", 1)
    after = model.state_dict()
    for part in ("generator.", "discriminator."):
        assert any(not torch.equal(before[k], after[k]) for k in before if k.startswith(part))
    assert set(result.metrics) >= {"loss", "g_loss", "d_loss", "r1", "real_sign"}
    assert result.metrics["r1"] > 0
    assert int(model.steps_done) == 1


@pytest.mark.parametrize("arch", ARCHS)
def test_save_then_load_gives_the_same_pictures(arch, tmp_path):
    model = tiny(arch).eval()
    model.save(tmp_path / "model")
    loaded = checkpoint.load(tmp_path / "model")
    assert type(loaded) is type(model)
    z = seeded_latents(model, 3, seed=5)
    assert torch.equal(generate(model, z, seed=5), generate(loaded, z, seed=5))
    assert generate(model, z, seed=5).shape == (3, 3, 16, 16)


@pytest.mark.parametrize("arch", ARCHS)
@pytest.mark.parametrize("size, message", [(24, "a power of two of at least 16 for "),
                                           (8, "between 16 and 512"), (1024, "between 16")])
def test_sizes_that_are_not_a_power_of_two_of_16_or_more_are_refused(arch, size, message):
    with pytest.raises(UserError, match=f"--size must be {message}"):
        gan_class(arch).from_config(TINY_GAN.replace(size=size))


@pytest.mark.parametrize("arch", ["dcgan", "stylegan-lite"])
def test_resume_continues_bit_for_bit_and_writes_sample_grids(arch, tmp_path):
    straight = tiny(arch)
    straight.grid_dir = tmp_path / "a" / "samples"
    fit(straight, tmp_path / "a", 4)
    halves = tiny(arch)
    halves.grid_dir = tmp_path / "b" / "samples"
    fit(halves, tmp_path / "b", 2)
    resumed = tiny(arch)
    resumed.grid_dir = tmp_path / "b" / "samples"
    fit(resumed, tmp_path / "b", 4, resume=True)
    for key, value in straight.state_dict().items():
        assert torch.equal(value, resumed.state_dict()[key]), key
    grids = sorted(p.name for p in (tmp_path / "b" / "samples").iterdir())
    assert grids == ["step-00000002.png", "step-00000004.png"]
    a, b = (p / "samples" / "step-00000004.png" for p in (tmp_path / "a", tmp_path / "b"))
    assert a.read_bytes() == b.read_bytes()


def test_ada_moves_the_strength_by_the_sign_of_the_discriminator_on_reals(tmp_path):
    from artforge.core.metrics_log import MetricsLog

    model = tiny("dcgan", ada_target=0.3)
    assert float(model.augment_p) == 0.0
    fit(model, tmp_path / "run", 3)
    expected = 0.0
    for record in (r for r in MetricsLog(tmp_path / "run").read() if "real_sign" in r):
        expected = adapt_strength(expected, record["real_sign"], 0.3, images_seen=4)
        assert record["augment_p"] == pytest.approx(expected)
    assert float(model.augment_p) == pytest.approx(expected)
    assert adapt_strength(0.5, 0.9, 0.6, 2000) == pytest.approx(0.6)
    assert adapt_strength(0.05, 0.1, 0.6, 2000) == 0.0


def test_stylegan_truncation_zero_gives_the_mean_style_and_mixing_sheet_has_n_plus_one_rows():
    model = tiny("stylegan").eval()
    z = seeded_latents(model, 2, seed=1)
    w = model.generator.styles(z, truncation=0.0)
    assert torch.allclose(w[0], w[1]) and torch.allclose(w[0, 0], model.generator.w_avg)
    sheet = model.mixing_sheet(2, seed=0, crossover=2)
    assert sheet.size == (3 * 16 + 2 * 2, 3 * 16 + 2 * 2)


def test_refreshed_batch_norm_statistics_are_the_generators_own_and_seeded():
    model = tiny("dcgan").eval()
    first_norm = model.generator.net[1]
    first_norm.running_mean.fill_(5.0)
    state = torch.get_rng_state()
    model.refresh_batch_norm(samples=32, batch=8)
    assert torch.equal(torch.get_rng_state(), state) and not model.generator.training
    assert first_norm.momentum == 0.1
    from artforge.image.gan.model import STATISTICS_SEED

    z = torch.randn(32, TINY_GAN.z_dim, generator=torch.Generator().manual_seed(STATISTICS_SEED))
    with torch.no_grad():
        expected = model.generator.net[0](z[:, :, None, None]).mean(dim=(0, 2, 3))
    assert torch.allclose(first_norm.running_mean, expected, atol=1e-6)
    again = tiny("dcgan")
    again.refresh_batch_norm(samples=32, batch=8)
    assert torch.equal(again.generator.net[1].running_var, first_norm.running_var)
