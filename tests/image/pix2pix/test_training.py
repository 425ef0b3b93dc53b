"""pix2pix and pix2pixhd trained by the core Trainer: one real step, save/load, resume."""

import pytest
import torch

from artforge.core import checkpoint
from artforge.errors import UserError
from artforge.image.pix2pix.architectures import Pix2PixConfig
from artforge.image.pix2pix.train import pix2pix_train_config, train_pix2pix, translation_class
from tests.image.pix2pix.conftest import TINY_HD, TINY_PIX2PIX

CONFIGS = {"pix2pix": TINY_PIX2PIX, "pix2pixhd": TINY_HD}


def fit(data, run, steps: int, arch: str = "pix2pix", resume: bool = False, **changes):
    train = pix2pix_train_config(steps=steps, batch_size=2, save_every=2, log_every=1,
                                 device="cpu", seed=0)
    return train_pix2pix(str(data), run, train, arch, CONFIGS[arch].replace(**changes),
                         resume=resume, catalog=False)


@pytest.mark.parametrize("arch", ["pix2pix", "pix2pixhd"])
def test_one_step_moves_both_networks_and_logs_every_loss(arch, paired_folder, tmp_path):
    changes = {"vgg_weight": 1.0} if arch == "pix2pixhd" else {}
    result = fit(paired_folder, tmp_path / "run", 1, arch, **changes)
    model = checkpoint.load(result.checkpoint)
    torch.manual_seed(0)
    fresh = translation_class(arch).from_config(model.config)
    for part in ("generator.", "discriminator."):
        assert any(not torch.equal(v, model.state_dict()[k])
                   for k, v in fresh.state_dict().items() if k.startswith(part))
    expected = {"pix2pix": {"g_gan", "l1"}, "pix2pixhd": {"g_gan", "feat", "vgg"}}[arch]
    assert set(result.metrics) == {"loss", "d_loss", "g_loss"} | expected
    assert all(torch.isfinite(torch.tensor(v)) for v in result.metrics.values())
    assert not any(k.startswith("vgg") for k in model.state_dict())  # VGG is not saved


def test_save_then_load_paints_the_same(tmp_path):
    for arch, config in CONFIGS.items():
        torch.manual_seed(0)
        model = translation_class(arch).from_config(config).eval()
        model.save(tmp_path / arch)
        loaded = checkpoint.load(tmp_path / arch)
        sketch = torch.rand(1, 1, 32, 64) * 2 - 1
        assert torch.equal(model.translate(sketch), loaded.translate(sketch))
        assert loaded.translate(sketch).shape == (1, 3, 32, 64)


def test_resume_continues_bit_for_bit_and_writes_preview_sheets(paired_folder, tmp_path):
    fit(paired_folder, tmp_path / "straight", 4)
    fit(paired_folder, tmp_path / "halves", 2)
    fit(paired_folder, tmp_path / "halves", 4, resume=True)
    straight = checkpoint.read_weights(checkpoint.resolve(tmp_path / "straight"))
    resumed = checkpoint.read_weights(checkpoint.resolve(tmp_path / "halves"))
    assert straight.keys() == resumed.keys()
    assert all(torch.equal(straight[k], resumed[k]) for k in straight)
    sheets = sorted(p.name for p in (tmp_path / "halves" / "samples").iterdir())
    assert sheets == ["step-00000002.png", "step-00000004.png"]
    a, b = (tmp_path / run / "samples" / "step-00000004.png" for run in ("straight", "halves"))
    assert a.read_bytes() == b.read_bytes()


def test_resuming_another_kind_or_with_another_arch_is_refused(paired_folder, tmp_path):
    fit(paired_folder, tmp_path / "run", 1)
    with pytest.raises(UserError, match="resume it with --arch pix2pix"):
        fit(paired_folder, tmp_path / "run", 2, arch="pix2pixhd", resume=True)
    with pytest.raises(UserError, match="already holds a training run"):
        fit(paired_folder, tmp_path / "run", 2)


@pytest.mark.parametrize("changes, message", [
    ({"size": 48}, "multiple of 32 for a U-Net"),
    ({"size": 16}, "between 32 and 1024"),
    ({"norm": "layer"}, "--norm must be one of"),
    ({"holdout": 1.0}, "--holdout must be in"),
    ({"size": 32, "num_d": 3}, "too small for 3 discriminator scale"),
])
def test_bad_configs_are_refused(changes, message):
    with pytest.raises(UserError, match=message):
        translation_class("pix2pix").from_config(Pix2PixConfig(**changes))


def test_unet_depth_follows_the_crop_size():
    assert Pix2PixConfig(size=256).downs == 8 and Pix2PixConfig(size=128).downs == 7
    assert Pix2PixConfig(size=96).downs == 5 and Pix2PixConfig(size=512).downs == 8


def test_folders_saved_before_the_upsample_option_keep_their_transposed_convs():
    old = {k: v for k, v in Pix2PixConfig().to_dict().items() if k != "upsample"}
    assert Pix2PixConfig.from_dict(old).upsample == "transpose"
    assert Pix2PixConfig.from_dict(Pix2PixConfig().to_dict()).upsample == "resize"
