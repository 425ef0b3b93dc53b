"""The instant (micro arbitrary-style) network: shapes at odd sizes, the cached code and photo
features give the one-call result, the strength and the blend behave, and distillation
lowers its loss and resumes bit for bit."""

import torch

from artforge.core import checkpoint
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer
from artforge.style.instant_model import InstantConfig, InstantModel
from artforge.style.networks import NearestUpConv
from tests.style.conftest import training_losses

TINY = InstantConfig(width=4, style_size=32)


def _model() -> InstantModel:
    with seeded(0):
        return InstantModel(TINY).eval()


def _pictures(seed: int, *shape: int) -> torch.Tensor:
    return torch.rand(*shape, generator=torch.Generator().manual_seed(seed))


def test_odd_sizes_come_back_at_their_size_in_range():
    model = _model()
    made = model.stylize(_pictures(0, 1, 3, 37, 50), [_pictures(1, 1, 3, 20, 30)])
    assert made.shape == (1, 3, 37, 50)
    assert made.min() >= 0 and made.max() <= 1


def test_the_folded_up_convolution_is_upsampling_then_the_convolution():
    for padding in ("reflect", "zeros"):
        with seeded(0):
            layer = NearestUpConv(5, 7, padding)
        x = _pictures(3, 2, 5, 9, 4) - 0.5
        upsampled = torch.nn.functional.interpolate(x, scale_factor=2.0, mode="nearest")
        expected = torch.nn.Conv2d.forward(layer, upsampled)
        assert layer(x).shape == (2, 7, 18, 8)
        assert torch.allclose(layer(x), expected, atol=1e-6)


def test_cached_code_and_features_render_what_one_call_paints():
    model = _model()
    photo, style = _pictures(0, 1, 3, 40, 48), _pictures(1, 1, 3, 32, 32)
    encoded, code = model.encode(photo), model.style_code([style])
    for alpha in (0.0, 0.4, 1.0):
        assert torch.allclose(model.render(encoded, code, alpha),
                              model.stylize(photo, [style], alpha=alpha), atol=1e-6)


def test_strength_and_blends():
    model = _model()
    photo = _pictures(0, 1, 3, 32, 32)
    red, blue = torch.zeros(1, 3, 32, 32), torch.zeros(1, 3, 32, 32)
    red[:, 0], blue[:, 2] = 1.0, 1.0
    red[..., ::4, :], blue[..., :, ::3] = 0.5, 0.5  # some texture, so spreads are not zero
    full, none = model.stylize(photo, [red], alpha=1.0), model.stylize(photo, [red], alpha=0.0)
    assert not torch.allclose(full, none)
    # Two copies of one style are that style; weights are normalised.
    assert torch.allclose(model.stylize(photo, [red, red], [0.3, 0.7]), full, atol=1e-6)
    assert torch.allclose(model.stylize(photo, [red, blue], [2.0, 0.0]), full, atol=1e-6)
    mixed = model.stylize(photo, [red, blue], [0.5, 0.5])
    assert not torch.allclose(mixed, full) and not torch.allclose(
        mixed, model.stylize(photo, [blue]))


def _batches(count: int) -> list[dict[str, torch.Tensor]]:
    return [{"content": _pictures(i, 2, 3, 32, 32), "style": _pictures(100 + i, 2, 3, 32, 32),
             "target": _pictures(200 + i, 2, 3, 32, 32)} for i in range(count)]


class _Pairs(torch.utils.data.Dataset):
    def __init__(self) -> None:
        self.items = [{k: v[0] for k, v in b.items()} for b in _batches(4)]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        return self.items[index]


def test_distillation_lowers_the_loss_on_a_fixed_batch():
    model = _model().train()
    batch = _batches(1)[0]
    batch["target"] = 0.25 + 0.5 * batch["content"]  # a teacher that washes the photo out
    assert set(model.training_step(batch)) == {"loss", "pixels", "edges"}
    losses = training_losses(model, batch, 21)
    assert losses[-1] < 0.9 * losses[0]


def test_the_vgg_terms_join_the_loss_and_take_statistics_from_the_batch():
    with seeded(0):
        model = InstantModel(TINY.replace(perceptual_weight=0.5, style_weight=2.0)).train()
    batch = _batches(1)[0]
    found = model.training_step(batch)
    assert set(found) == {"loss", "pixels", "edges", "perceptual", "style"}
    expected = found["pixels"] + found["edges"] + 0.5 * found["perceptual"] + 2 * found["style"]
    assert torch.allclose(found["loss"].detach(), expected)
    # Statistics handed over in the batch (as make_instant.py does) give the same loss.
    given = model.training_step(batch | model.style_statistics(batch["style"]))
    assert torch.allclose(given["style"], found["style"])
    # Other statistics, another loss: the term reads them.
    other = model.style_statistics(batch["target"])
    assert not torch.allclose(model.training_step(batch | other)["style"], found["style"])


def test_reflection_padding_keeps_a_flat_picture_flat_to_its_borders():
    grey = torch.full((1, 3, 32, 32), 0.6)
    for padding, flat in (("reflect", True), ("zeros", False)):
        with seeded(0):
            model = InstantModel(TINY.replace(padding=padding)).eval()
        made = model.stylize(grey, [grey])
        border, inside = made[..., 0, :].mean(), made[..., 8:24, 8:24].mean()
        assert torch.allclose(made, made[..., 16:17, 16:17].expand_as(made), atol=1e-4) == flat
        assert (abs(border - inside) < 1e-4) == flat


def test_training_resumes_bit_for_bit(tmp_path):
    config = TrainConfig(steps=2, batch_size=2, save_every=1, log_every=1, device="cpu", seed=0)
    Trainer(_model().train(), config, tmp_path / "run", _Pairs()).fit()
    Trainer(_model().train(), config.replace(steps=1), tmp_path / "half", _Pairs()).fit()
    Trainer(_model().train(), config, tmp_path / "half", _Pairs(), resume=True).fit()
    straight = checkpoint.read_weights(checkpoint.resolve(tmp_path / "run"))
    resumed = checkpoint.read_weights(checkpoint.resolve(tmp_path / "half"))
    assert all(torch.equal(straight[k], resumed[k]) for k in straight)
    loaded = checkpoint.load(checkpoint.resolve(tmp_path / "run"))
    assert isinstance(loaded, InstantModel) and loaded.config == TINY


def test_a_saved_instant_model_stylises_files_and_exports_to_onnx(pictures, tmp_path):
    import numpy as np

    from artforge.data.pictures import open_picture, to_array
    from artforge.style import onnx_run
    from artforge.style.onnx_export import export_onnx
    from artforge.style.stylize import load_style_model, stylize_images
    from artforge.style.works import to_numpy, to_tensor

    folder = _model().save(tmp_path / "instant")
    written = stylize_images(folder, pictures["content"], tmp_path / "out.png",
                             styles=[str(pictures["style"]), "builtin:durer-lion"],
                             style_weights=[0.3, 0.7], alpha=0.6, catalog=False)
    photo = to_array(open_picture(pictures["content"]))
    assert to_array(open_picture(written[0])).shape == photo.shape
    result = export_onnx(folder, tmp_path / "i.onnx")
    assert result.kind == "instant" and result.max_difference < 1e-4
    session, meta = onnx_run.load_session(result.path)
    squares = onnx_run._square_styles([str(pictures["style"])], int(meta["style_size"]))
    ours = onnx_run.stylize_array(session, meta, photo, squares, [1.0], alpha=0.6)
    model, _ = load_style_model(folder, "cpu")
    expected = model.stylize(to_tensor(photo), [torch.from_numpy(squares)], alpha=0.6)
    np.testing.assert_allclose(ours, to_numpy(expected), atol=1e-4)
