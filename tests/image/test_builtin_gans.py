"""The GANs artforge ships (builtin:abstract-gan, builtin:paintings-gan): each loads by name
from its float16 folder as the recipe's DCGAN at 128 px, draws seeded grids the same every
time (also truncated, and as a latent walk), works from the command line with its name kept
in the provenance (reproducibly), is scored against pictures it never saw, and fine-tunes with
--init-from. Nothing here depends on the exact pictures of one training run."""

import json

import pytest
import torch
from click.testing import CliRunner
from PIL import Image
from safetensors.torch import load_file

from artforge.catalog.provenance import read_png_provenance
from artforge.catalog.records import list_works
from artforge.catalog.reproduce import reproduce
from artforge.cli import app
from artforge.core import checkpoint
from artforge.data.shipped_models import shipped_folder
from artforge.image.gan.architectures import DCGANModel
from artforge.image.gan.pipeline import gan_model_folder, interpolate_gan, load_gan
from artforge.image.gan.sampling import generate, latent_walk, seeded_latents, to_uint8
from artforge.image.gan.train import gan_class, gan_train_config, train_gan
from artforge.image.medium import MEDIUM
from tests.image.conftest import assert_one_step_from

SHIPPED = ("builtin:abstract-gan", "builtin:paintings-gan")
SIDE = 128
LR = 1e-4


def run(*args: str):
    return CliRunner().invoke(app, ["image", *args])


@pytest.fixture(scope="module", params=SHIPPED)
def shipped(request) -> tuple[str, DCGANModel]:
    model, _ = load_gan(request.param)
    return request.param, model


def test_the_image_medium_ships_both_gans():
    assert [(m.name, m.folder, m.makes) for m in MEDIUM.shipped if m.makes == "GAN"] == [
        ("builtin:abstract-gan", "abstract-gan", "GAN"),
        ("builtin:paintings-gan", "paintings-gan", "GAN")]


@pytest.mark.parametrize("name", SHIPPED)
def test_each_loads_by_name_from_its_float16_folder(name):
    folder = gan_model_folder(name)
    assert folder == shipped_folder(next(m for m in MEDIUM.shipped if m.name == name))
    assert (folder / "card.md").is_file()
    stored = load_file(folder / "model.safetensors")
    assert {t.dtype for t in stored.values() if t.is_floating_point()} == {torch.float16}
    model, loaded_from = load_gan(name)
    assert loaded_from == folder and isinstance(model, DCGANModel)
    assert (model.config.size, model.config.channels) == (SIDE, 16)
    weights = model.state_dict()
    for key in ("generator", "discriminator"):  # float32 in memory, the stored values exactly
        first = next(k for k in stored if k.startswith(f"{key}.") and k.endswith("weight"))
        assert weights[first].dtype == torch.float32
        assert torch.equal(weights[first], stored[first].float())


def test_a_seeded_grid_has_the_right_shape_and_is_the_same_every_time(shipped):
    _, model = shipped
    z = seeded_latents(model, 6, seed=3)
    first = generate(model, z, 3)
    assert first.shape == (6, 3, SIDE, SIDE) and first.min() >= 0 and first.max() <= 1
    assert torch.equal(first, generate(model, seeded_latents(model, 6, seed=3), 3))
    assert not torch.equal(first, generate(model, seeded_latents(model, 6, seed=4), 4))
    # Pictures, not a flat colour, and not one picture six times.
    assert float(first.flatten(1).std(1).min()) > 0.02
    assert float((first[1:] - first[:1]).abs().mean()) > 0.01


def test_truncation_changes_the_pictures_and_zero_draws_one_picture(shipped):
    _, model = shipped
    z = seeded_latents(model, 4, seed=0)
    free, typical, mean = (generate(model, z, 0, truncation) for truncation in (1.0, 0.7, 0.0))
    assert typical.shape == free.shape and not torch.equal(typical, free)
    assert all(torch.equal(picture, mean[0]) for picture in mean)  # psi 0: the mean latent


def test_a_latent_walk_passes_through_the_seeded_grid(shipped):
    _, model = shipped
    frames = latent_walk(model, seed=5, keyframes=2, frames_between=3)
    assert len(frames) == 6 and frames[0].shape == (SIDE, SIDE, 3)
    keys = to_uint8(generate(model, seeded_latents(model, 2, seed=5), 5)).astype(int)
    assert abs(frames[0].astype(int) - keys[0]).max() <= 1
    assert abs(frames[3].astype(int) - keys[1]).max() <= 1
    assert abs(frames[1].astype(int) - keys[0]).mean() > 0.5  # in between, not a key


@pytest.mark.parametrize("name", SHIPPED)
def test_sample_from_the_command_line_keeps_the_name_and_reproduces(name, tmp_path):
    out = tmp_path / "grid.png"
    done = run("gan", "sample", "--model", name, "--n", "4", "--seed", "2", "--truncation",
               "0.8", "--out", str(out), "--device", "cpu")
    assert done.exit_code == 0, done.output
    assert Image.open(out).size == (2 * SIDE + 2, 2 * SIDE + 2)
    provenance = read_png_provenance(out)
    assert provenance["params"] == {"n": 4, "truncation": 0.8, "builtin_model": name}
    assert provenance["model_hash"] == checkpoint.folder_hash(gan_model_folder(name))
    [work] = list_works(medium="image")
    assert reproduce(work["id"], tmp_path / "again.png")["identical"]


def test_a_walk_is_a_work_that_reproduces(tmp_path):
    out = interpolate_gan("builtin:paintings-gan", tmp_path / "walk.gif", keyframes=2,
                          frames_between=2, truncation=0.7)
    with Image.open(out) as gif:
        assert gif.n_frames == 4 and gif.size == (SIDE, SIDE)
    [work] = list_works(medium="image")
    assert work["params"]["builtin_model"] == "builtin:paintings-gan"
    assert reproduce(work["id"], tmp_path / "again.gif")["identical"]


def test_style_mixing_and_unknown_names_are_one_sentence(tmp_path):
    mix = run("gan", "sample", "--model", "builtin:abstract-gan", "--mix", "--out",
              str(tmp_path / "mix.png"))
    assert mix.exit_code == 2
    assert mix.output == ("error: style mixing needs a stylegan or stylegan-lite model; "
                          "builtin:abstract-gan is a dcgan.\n")
    unknown = run("gan", "sample", "--model", "builtin:nope", "--out", str(tmp_path / "x.png"))
    assert unknown.exit_code == 2
    assert unknown.output == ("error: there is no built-in GAN model builtin:nope; the "
                              "built-in ones are builtin:abstract-gan, builtin:paintings-gan.\n")
    assert not list(tmp_path.iterdir())


def test_eval_scores_the_abstract_gan_on_compositions_it_never_saw(tmp_path):
    done = run("eval", "--model", "builtin:abstract-gan", "--data", "builtin:abstract",
               "--data-seed", "1", "--count", "4", "--n", "4", "--out", str(tmp_path / "eval"),
               "--device", "cpu")
    assert done.exit_code == 0, done.output
    scores = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert (scores["seed"], scores["data_seed"], scores["n_real"]) == (0, 1, 4)
    assert scores["model"] == str(gan_model_folder("builtin:abstract-gan"))
    assert scores["fid_vgg16"] > 0


def test_init_from_the_abstract_gan_makes_one_real_step(tmp_path):
    # A user's pictures of another kind: on its own compositions the trained discriminator is
    # sure enough that the hinge loss gives it no gradient in one step.
    start = checkpoint.read_weights(gan_model_folder("builtin:abstract-gan"))
    train = gan_train_config(steps=1, batch_size=2, lr=LR, device="cpu", seed=0)
    result = train_gan("builtin:paintings", tmp_path / "run", train, count=4,
                       init_from="builtin:abstract-gan", catalog=False)
    model = checkpoint.load(result.checkpoint)
    assert model.kind == "dcgan" and result.step == 1 and int(model.steps_done) == 1
    assert model.config.size == SIDE and model.config.init_from == "builtin:abstract-gan"
    assert '"init_from": "builtin:abstract-gan"' in (result.checkpoint / "card.md").read_text()
    torch.manual_seed(0)
    assert_one_step_from(model, {k: v.float() for k, v in start.items()}, LR,
                         gan_class("dcgan").from_config(model.config))
