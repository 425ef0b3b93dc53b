"""The johnson and adain models: one real training step each, save/load round trips, resume
equivalence, AdaIN's alpha and style interpolation, stylising files of any size."""

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from artforge.core import checkpoint
from artforge.errors import UserError
from artforge.style.adain_model import AdaINModel
from artforge.style.fast_model import FastStyleConfig, FastStyleModel
from artforge.style.stylize import load_style_model, stylize_images
from artforge.style.train import style_train_config, train_adain, train_fast
from tests.style.conftest import training_losses

TINY_FAST = FastStyleConfig(channels=(4, 8, 8), res_blocks=1, style_size=32)


def fit_fast(style, out, steps: int, resume: bool = False):
    train = style_train_config(steps=steps, batch_size=2, save_every=2, log_every=1,
                               device="cpu", seed=0)
    return train_fast(str(style), "builtin:photos", out, train, TINY_FAST, size=32, count=6,
                      resume=resume, catalog=False)


def test_johnson_trains_and_resumes_bit_for_bit(pictures, tmp_path):
    straight = fit_fast(pictures["style"], tmp_path / "straight", 4)
    assert straight.step == 4 and set(straight.metrics) >= {"loss", "content", "style", "tv"}
    fit_fast(pictures["style"], tmp_path / "resumed", 2)
    resumed = fit_fast(pictures["style"], tmp_path / "resumed", 4, resume=True)
    assert resumed.step == 4
    a, b = checkpoint.read_weights(straight.checkpoint), checkpoint.read_weights(resumed.checkpoint)
    assert all(torch.equal(a[name], b[name]) for name in a)
    assert (straight.checkpoint / "style.png").is_file()
    with pytest.raises(UserError, match="learns the style"):
        fit_fast("builtin:durer-lion", tmp_path / "resumed", 6, resume=True)


def test_a_training_step_lowers_the_loss_on_a_fixed_batch(pictures):
    torch.manual_seed(0)
    model = FastStyleModel.from_config(TINY_FAST)
    model.set_style(Image.open(pictures["style"]))
    batch = torch.rand(2, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    losses = training_losses(model, batch, 3)
    assert losses[-1] < losses[0]


def test_saved_models_give_the_same_pictures_at_odd_sizes(johnson_folder, adain_folder):
    johnson, _ = load_style_model(johnson_folder, "cpu")
    assert isinstance(johnson, FastStyleModel) and johnson.style_picture.size == (32, 32)
    photo = torch.rand(1, 3, 30, 45, generator=torch.Generator().manual_seed(0))
    again, _ = load_style_model(johnson_folder, "cpu")
    assert torch.equal(johnson.stylize(photo), again.stylize(photo))
    assert johnson.stylize(photo).shape == (1, 3, 30, 45)
    adain, _ = load_style_model(adain_folder, "cpu")
    assert isinstance(adain, AdaINModel)
    assert adain.stylize(photo, [torch.rand(1, 3, 20, 24)]).shape == (1, 3, 30, 45)


def test_adain_alpha_and_style_interpolation(adain_folder):
    model, _ = load_style_model(adain_folder, "cpu")
    gen = torch.Generator().manual_seed(0)
    photo = torch.rand(1, 3, 32, 32, generator=gen)
    red, blue = torch.rand(1, 3, 32, 32, generator=gen), torch.rand(1, 3, 32, 32, generator=gen)
    red[:, 0] += 1.0
    only_red = model.stylize(photo, [red])
    assert torch.allclose(model.stylize(photo, [red, blue], [1.0, 0.0]), only_red, atol=1e-4)
    half = model.stylize(photo, [red, blue], [0.5, 0.5])
    assert not torch.allclose(half, only_red, atol=1e-3)
    assert not torch.allclose(model.stylize(photo, [red], alpha=0.0), only_red, atol=1e-3)


@pytest.mark.parametrize("layer, divisor", [("relu4_1", 8), ("relu3_1", 4)])
def test_adain_trains_one_step_on_photos_and_paintings(layer, divisor, tmp_path):
    from artforge.style.adain_model import AdaINConfig

    train = style_train_config(steps=1, batch_size=2, save_every=1, device="cpu", seed=0)
    result = train_adain("builtin:paintings", "builtin:photos", tmp_path / "adain", train,
                         AdaINConfig(width=0.05, style_size=32, layer=layer), size=32, count=4,
                         catalog=False)
    assert result.step == 1 and np.isfinite(result.metrics["loss"])
    model = checkpoint.load(tmp_path / "adain")
    assert isinstance(model, AdaINModel) and model.config.layer == layer
    assert model.divisor == divisor
    made = model.stylize(torch.rand(1, 3, 30, 45), [torch.rand(1, 3, 20, 24)])
    assert made.shape == (1, 3, 30, 45)


@pytest.mark.parametrize("layer, padded", [("relu4_1", (152, 208)), ("relu3_1", (152, 204))])
def test_large_pictures_are_stylised_in_tiles_with_the_one_piece_result(layer, padded):
    from artforge.style.adain_model import AdaINConfig

    torch.manual_seed(0)
    model = AdaINModel.from_config(AdaINConfig(width=0.05, style_size=32, layer=layer)).eval()
    photo, style = torch.rand(1, 3, 150, 203), torch.rand(1, 3, 40, 40)
    whole = model.stylize(photo, [style], alpha=0.7)
    model.tile = 32  # 5 x 7 tiles, each with 64 pixels of its neighbours
    calls = []
    tiled_path = model._tiled
    model._tiled = lambda *args: calls.append(args[0].shape) or tiled_path(*args)
    tiled = model.stylize(photo, [style], alpha=0.7)
    assert calls == [(1, 3, *padded)] and tiled.shape == whole.shape
    assert torch.allclose(tiled, whole, atol=1e-5)


def test_adain_identity_term_is_the_pixel_error_of_decoding_the_photos_own_features():
    from artforge.style.adain_model import AdaINConfig

    torch.manual_seed(0)
    model = AdaINModel.from_config(AdaINConfig(width=0.05, style_size=32, identity_weight=50))
    batch = {"content": torch.rand(2, 3, 32, 32), "style": torch.rand(2, 3, 32, 32)}
    plain = model.training_step(batch)
    again = model.decoder(model.encoder(batch["content"])["relu4_1"])
    expected = float(((again - batch["content"]) * 255).pow(2).mean())
    assert float(plain["identity"]) == pytest.approx(expected, rel=1e-5)
    assert float(plain["loss"]) == pytest.approx(
        float(plain["content"]) + 10 * float(plain["style"]) + 50 * expected, rel=1e-5)
    without = AdaINModel.from_config(AdaINConfig(width=0.05, style_size=32, identity_weight=0))
    without.decoder.load_state_dict(model.decoder.state_dict())
    terms = without.training_step(batch)
    assert "identity" not in terms
    assert float(terms["loss"]) == pytest.approx(float(plain["loss"]) - 50 * expected, rel=1e-5)


def test_stylize_files_and_folders_keep_sizes(johnson_folder, adain_folder, pictures, tmp_path):
    [one] = stylize_images(johnson_folder, pictures["content"], tmp_path / "one.png",
                           catalog=False)
    assert Image.open(one).size == (40, 32)
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.new("L", (21, 13), 90).save(folder / "grey.png")
    Image.new("RGBA", (16, 16), (0, 0, 255, 128)).save(folder / "clear.png")
    (folder / "notes.txt").write_text("skipped: not a picture")
    made = stylize_images(adain_folder, folder, tmp_path / "out", styles=[pictures["style"]],
                          alpha=0.5, preserve_colour="luminance", catalog=False)
    assert [p.name for p in made] == ["clear.png", "grey.png"]
    assert Image.open(made[1]).size == (21, 13)
    with pytest.raises(UserError, match="--style is for adain and instant models"):
        stylize_images(johnson_folder, pictures["content"], tmp_path / "x.png",
                       styles=[pictures["style"]], catalog=False)
    with pytest.raises(UserError, match="needs at least one --style"):
        stylize_images(adain_folder, pictures["content"], tmp_path / "x.png", catalog=False)


def test_a_stylised_picture_is_reproduced_from_the_catalog(johnson_folder, pictures, tmp_path):
    from artforge.catalog.records import list_works
    from artforge.catalog.reproduce import reproduce

    stylize_images(johnson_folder, pictures["content"], tmp_path / "w.png", device="cpu")
    work = list_works(medium="style")[0]
    assert work["pipeline"] == "style.stylize" and work["model_path"] == str(johnson_folder)
    assert work["params"]["png_level"] == 1
    assert reproduce(work["id"], tmp_path / "again.png")["identical"]
    # A work written at Pillow's level, as all were before, has the same pixels and no
    # png_level, and is still reproduced byte for byte.
    stylize_images(johnson_folder, pictures["content"], tmp_path / "w6.png", device="cpu",
                   png_level=6)
    earlier = list_works(medium="style")[0]
    assert "png_level" not in earlier["params"]
    assert np.array_equal(np.asarray(Image.open(tmp_path / "w6.png")),
                          np.asarray(Image.open(tmp_path / "w.png")))
    assert reproduce(earlier["id"], tmp_path / "again6.png")["identical"]


def test_a_folder_opens_the_catalog_hashes_the_model_and_reads_versions_once(
        johnson_folder, pictures, tmp_path, monkeypatch):
    from importlib import metadata

    from artforge.catalog import db
    from artforge.catalog.records import list_works
    from artforge.core import checkpoint_layout

    stylize_images(johnson_folder, pictures["content"], tmp_path / "first.png", catalog=False)
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("a", "b", "c"):
        Image.open(pictures["content"]).save(folder / f"{name}.png")
    calls = {"connect": 0, "folder_hash": 0, "version": 0}

    def counted(name, function):
        def call(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return call

    monkeypatch.setattr(db, "connect", counted("connect", db.connect))
    monkeypatch.setattr(checkpoint_layout, "folder_hash",
                        counted("folder_hash", checkpoint_layout.folder_hash))
    monkeypatch.setattr(metadata, "version", counted("version", metadata.version))
    stylize_images(johnson_folder, folder, tmp_path / "out", device="cpu")
    # The versions were read by the first work this process saved (in this test or before).
    assert calls == {"connect": 1, "folder_hash": 1, "version": 0}
    works = list_works(medium="style")
    assert sorted(Path(w["path"]).name for w in works) == ["a.png", "b.png", "c.png"]
    assert {w["model_hash"] for w in works} == {checkpoint_layout.folder_hash(johnson_folder)}
