"""The johnson-styles model (several styles in one network, conditional instance norms): one
real training step, resume equivalence, and each style exported as a plain Johnson model that
paints exactly as the joint network does."""

import pytest
import torch
from PIL import Image

from artforge.core import checkpoint
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer
from artforge.data.image_folders import ImageDataset
from artforge.errors import UserError
from artforge.style.fast_model import FastStyleModel
from artforge.style.multi_style import MultiStyleConfig, MultiStyleModel, StyleNorm
from tests.style.conftest import training_losses

TINY = MultiStyleConfig(styles=("red.png", "blue.png", "lion"), names=("red", "blue", "lion"),
                        channels=(4, 8, 8), res_blocks=1, style_size=32)


def _styles() -> list[Image.Image]:
    red = Image.new("RGB", (40, 32), (200, 30, 20))
    blue = Image.new("RGB", (32, 32), (20, 40, 210))
    stripes = Image.fromarray((torch.arange(48 * 48 * 3) % 7 * 36).to(torch.uint8)
                              .reshape(48, 48, 3).numpy())
    return [red, blue, stripes]


def _model() -> MultiStyleModel:
    with seeded(0):
        model = MultiStyleModel(TINY)
    model.set_styles(_styles())
    return model


def _photos() -> torch.Tensor:
    return torch.randint(0, 256, (6, 3, 40, 40), dtype=torch.uint8,
                         generator=torch.Generator().manual_seed(3))


def test_every_instance_norm_becomes_a_table_of_one_row_per_style():
    model = _model()
    norms = [m for m in model.net.modules() if isinstance(m, StyleNorm)]
    plain = [m for m in model.net.modules() if isinstance(m, torch.nn.InstanceNorm2d)]
    # 3 + 2 per residual block + 2 upsampling convolutions.
    assert len(norms) == 3 + 2 * 1 + 2 and not plain
    assert all(norm.weight.shape == (3, norm.weight.shape[1]) for norm in norms)


def test_each_exported_style_paints_as_the_joint_network_does(tmp_path):
    model = _model()
    with torch.no_grad():  # make the styles' rows differ, as training does
        for norm in (m for m in model.net.modules() if isinstance(m, StyleNorm)):
            norm.weight.copy_(torch.rand(norm.weight.shape, generator=torch.Generator()
                                         .manual_seed(1)) + 0.5)
    photo = torch.rand(2, 3, 24, 28, generator=torch.Generator().manual_seed(2))
    made = []
    for index in range(3):
        folder = model.export(index).save(tmp_path / TINY.names[index])
        single = checkpoint.load(folder)
        assert isinstance(single, FastStyleModel) and single.config.style == TINY.styles[index]
        # Its style picture at the side its Gram matrices were taken at.
        assert max(single.style_picture.size) == 32
        with torch.no_grad():
            joint = model.net(photo, torch.full((2,), index))
        assert torch.allclose(single.stylize(photo), joint, atol=1e-6)
        made.append(joint)
    assert not torch.allclose(made[0], made[1], atol=1e-3)


def test_a_training_step_draws_a_style_per_picture_and_lowers_the_loss():
    model = _model()
    batch = torch.rand(4, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    with seeded(5):
        found = model.training_step(batch)
    assert set(found) == {"loss", "content", "style", "tv"}
    expected = found["content"] + found["style"] + found["tv"]
    assert torch.allclose(found["loss"].detach(), expected)
    with seeded(5):
        losses = training_losses(model, batch, 3)
    assert losses[-1] < losses[0]


def test_training_resumes_bit_for_bit_and_keeps_its_style_pictures(tmp_path):
    config = TrainConfig(steps=2, batch_size=2, save_every=1, log_every=1, device="cpu", seed=0)
    data = ImageDataset(_photos(), low=0.0, crop=32)
    Trainer(_model(), config, tmp_path / "run", data).fit()
    Trainer(_model(), config.replace(steps=1), tmp_path / "half", data).fit()
    Trainer(_model(), config, tmp_path / "half", data, resume=True).fit()
    straight = checkpoint.read_weights(checkpoint.resolve(tmp_path / "run"))
    resumed = checkpoint.read_weights(checkpoint.resolve(tmp_path / "half"))
    assert all(torch.equal(straight[k], resumed[k]) for k in straight)
    loaded = checkpoint.load(checkpoint.resolve(tmp_path / "run"))
    assert isinstance(loaded, MultiStyleModel) and loaded.config == TINY
    assert [p.size for p in loaded.pictures] == [(40, 32), (32, 32), (48, 48)]


def test_random_crops_are_seeded_squares_of_the_pictures():
    photos = _photos()
    data = ImageDataset(photos, flip=False, low=0.0, crop=16)
    with seeded(0):
        first = data.__getitems__([0, 1, 2])
    with seeded(0):
        again = data.__getitems__([0, 1, 2])
    assert first.shape == (3, 3, 16, 16) and torch.equal(first, again)
    whole = photos[0].float() / 255
    windows = whole.unfold(1, 16, 1).unfold(2, 16, 1)  # (3, 25, 25, 16, 16)
    assert any(torch.allclose(windows[:, i, j], first[0]) for i in range(25) for j in range(25))


def test_a_config_needs_one_name_per_style():
    with pytest.raises(UserError, match="one name per style"):
        TINY.replace(names=("red",))
    with pytest.raises(UserError, match="at least one style"):
        TINY.replace(styles=(), names=())


def _exports(tmp_path) -> tuple[MultiStyleModel, dict[str, FastStyleModel]]:
    """Each style of the tiny model, its rows made to differ, saved and loaded again."""
    model = _model()
    with torch.no_grad():
        for norm in (m for m in model.net.modules() if isinstance(m, StyleNorm)):
            norm.bias.copy_(torch.randn(norm.bias.shape, generator=torch.Generator()
                                        .manual_seed(4)))
    folders = {name: model.export(index).save(tmp_path / name)
               for index, name in enumerate(TINY.names)}
    return model, {name: checkpoint.load(folder) for name, folder in folders.items()}


def test_the_exported_styles_join_into_the_same_model_again(tmp_path):
    model, singles = _exports(tmp_path)
    joint = MultiStyleModel.from_singles(singles)
    assert joint.config == TINY
    before, after = model.state_dict(), joint.state_dict()
    assert before.keys() == after.keys()
    assert all(torch.equal(before[key], after[key]) for key in before)
    # The style pictures as the exports carry them: their longer side at style_size.
    assert [p.size for p in joint.pictures] == [(32, 26), (32, 32), (32, 32)]


def test_the_six_shipped_fast_styles_join_and_export_as_shipped():
    from artforge.style.stylize import style_model_folder
    from tests.style.test_builtin_fast_styles import PAINTINGS

    folders = {name.removeprefix("builtin:"): style_model_folder(name) for name in PAINTINGS}
    joint = MultiStyleModel.from_singles({name: checkpoint.load(folder)
                                          for name, folder in folders.items()})
    assert joint.config.names == tuple(folders) and len(joint.pictures) == 6
    for index, folder in enumerate(folders.values()):
        shipped = checkpoint.read_weights(folder)
        exported = joint.export(index).state_dict()
        assert exported.keys() == shipped.keys()
        assert all(torch.equal(exported[key], shipped[key].float()) for key in shipped)


def test_models_not_from_one_network_are_refused(tmp_path):
    model, singles = _exports(tmp_path)
    state = singles["blue"].net.state_dict()  # its tensors are the network's own
    shared = sorted(state.keys() - model.net.style_rows())
    state[shared[3]].view(-1)[0] += 1e-3
    with pytest.raises(UserError, match=rf"red and blue differ in 1 of the weights their "
                                        rf"styles would share \(the first: {shared[3]}\)"):
        MultiStyleModel.from_singles(singles)
    _, singles = _exports(tmp_path)
    singles["lion"] = FastStyleModel(singles["lion"].config.replace(res_blocks=2))
    with pytest.raises(UserError, match=r"red and lion differ in their config \(res_blocks\)"):
        MultiStyleModel.from_singles(singles)
