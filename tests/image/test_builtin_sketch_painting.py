"""The sketch-to-painting model artforge ships (builtin:sketch-painting): it loads by name from
its float16 folder, paints a canvas stroke (bare and with colour hints) the same every time,
works from the command line with its name kept in the provenance (reproducibly), refuses bad
sketches in one sentence, is scored on pictures its run held out, fine-tunes with --init-from,
and paints in the demo before anything trains. Nothing here depends on the exact paintings of
one training run."""

import json

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from PIL import Image, ImageDraw
from safetensors.torch import load_file

from artforge.catalog.provenance import read_png_provenance
from artforge.catalog.records import list_works
from artforge.catalog.reproduce import reproduce
from artforge.cli import app
from artforge.core import checkpoint
from artforge.data.libraries import FETCH, libraries_dir
from artforge.data.shipped_models import shipped_folder
from artforge.image.medium import MEDIUM
from artforge.image.pix2pix import demo
from artforge.image.pix2pix.train import pix2pix_train_config, train_pix2pix, translation_class
from artforge.image.pix2pix.translate import load_translator, painting_model_folder
from tests.image.conftest import assert_one_step_from
from tests.image.pix2pix.conftest import TINY_PIX2PIX, picture

NAME = "builtin:sketch-painting"
CROP = 128
LR = 1e-4


def run(*args: str):
    return CliRunner().invoke(app, ["image", *args])


@pytest.fixture(scope="module")
def translator():
    return load_translator(NAME, engine="torch")


def stroke(size: tuple[int, int] = (96, 72)) -> np.ndarray:
    """A pen stroke and a ring on a white canvas, as RGB uint8."""
    canvas = Image.new("RGB", size, "white")
    pen = ImageDraw.Draw(canvas)
    pen.line([(8, 60), (40, 14), (88, 50)], fill="black", width=4, joint="curve")
    pen.ellipse([(30, 30), (60, 60)], outline="black", width=3)
    return np.asarray(canvas)


@pytest.fixture
def stroke_file(tmp_path):
    path = tmp_path / "stroke.png"
    Image.fromarray(stroke()).save(path)
    return path


@pytest.fixture
def pairs_folder(tmp_path):
    """A/ and B/ with three pairs large enough for the model's 128-pixel crops."""
    root = tmp_path / "pairs"
    (root / "A").mkdir(parents=True)
    (root / "B").mkdir()
    for index in range(3):
        rgb = picture(index, (160, 144))
        Image.fromarray(rgb).save(root / "B" / f"x{index}.png")
        Image.fromarray(rgb).convert("L").save(root / "A" / f"x{index}.png")
    return root


def test_the_image_medium_ships_it_as_a_painting_model():
    [shipped] = [m for m in MEDIUM.shipped if m.makes == "painting"]
    assert (shipped.name, shipped.folder) == (NAME, "sketch-painting")
    assert shipped.label.startswith("paintings from line art")


def test_it_loads_by_name_from_its_float16_folder(translator):
    folder = painting_model_folder(NAME)
    assert folder == shipped_folder(next(m for m in MEDIUM.shipped if m.name == NAME))
    assert (folder / "card.md").is_file()
    stored = load_file(folder / "model.safetensors")
    assert {t.dtype for t in stored.values() if t.is_floating_point()} == {torch.float16}
    model = translator.model
    assert translator.folder == folder and model.kind == "pix2pix"
    config = model.config
    assert (config.size, config.ngf, config.input_nc, config.hints, config.strokes) == (
        CROP, 32, 1, True, True)
    assert translator.training_side == 2 * CROP
    first = next(k for k in stored if k.startswith("generator.") and k.endswith("weight"))
    weight = model.state_dict()[first]
    assert weight.dtype == torch.float32 and torch.equal(weight, stored[first].float())


def test_a_canvas_stroke_is_painted_the_same_every_time_and_hints_change_it(translator):
    sketch = stroke()
    painted = translator.translate(sketch)
    assert painted.shape == sketch.shape and painted.dtype == np.uint8
    assert np.array_equal(painted, translator.translate(sketch))
    # A painting, not the lines given back: other colours, and not one flat colour.
    assert np.abs(painted.astype(int) - sketch).mean() > 10
    assert painted.reshape(-1, 3).std(axis=0).min() > 2
    dabs = np.zeros((*sketch.shape[:2], 4), np.uint8)
    dabs[20:40, 50:70] = (200, 40, 40, 255)
    hinted = translator.translate(sketch, hints=dabs)
    assert hinted.shape == sketch.shape and not np.array_equal(hinted, painted)


def test_translate_from_the_command_line_keeps_the_name_and_reproduces(stroke_file, tmp_path):
    bare, hinted = tmp_path / "bare.png", tmp_path / "hinted.png"
    done = run("pix2pix", "translate", "--model", NAME, "--in", str(stroke_file), "--out",
               str(bare))
    assert done.exit_code == 0, done.output
    done = run("pix2pix", "translate", "--model", NAME, "--in", str(stroke_file), "--out",
               str(hinted), "--hints-from", "builtin:paintings/van-gogh-starry-night",
               "--dabs", "12")
    assert done.exit_code == 0, done.output
    assert Image.open(bare).size == Image.open(hinted).size == (96, 72)
    assert bare.read_bytes() != hinted.read_bytes()
    provenance = read_png_provenance(hinted)
    assert provenance["params"]["builtin_model"] == NAME
    assert (provenance["params"]["hints_from"], provenance["params"]["dabs"]) == (
        "builtin:paintings/van-gogh-starry-night", 12)
    assert provenance["model_hash"] == checkpoint.folder_hash(painting_model_folder(NAME))
    works = list_works(medium="image")
    assert len(works) == 2
    for work in works:
        assert work["params"]["builtin_model"] == NAME
        assert reproduce(work["id"], tmp_path / f"again-{work['id']}.png")["identical"]


def test_bad_sketches_are_one_sentence_and_nothing_is_written(stroke_file, tmp_path):
    white, dark = tmp_path / "white.png", tmp_path / "dark.png"
    empty, wide = tmp_path / "empty.png", tmp_path / "wide.png"
    Image.new("RGB", (64, 48), "white").save(white)
    Image.new("RGB", (64, 48), "black").save(dark)
    Image.new("RGBA", (64, 48), (0, 0, 0, 0)).save(empty)  # a canvas with nothing drawn
    Image.new("1", (10_000, 40), 1).save(wide)
    out = tmp_path / "out" / "painting.png"
    for path, why in ((white, "is blank"), (empty, "is blank"), (dark, "is all dark")):
        done = run("pix2pix", "translate", "--model", NAME, "--in", str(path), "--out",
                   str(out))
        assert done.exit_code == 2
        assert done.output == f"error: {path} {why}: a sketch needs dark lines on a light " \
                              "ground.\n"
    done = run("pix2pix", "translate", "--model", NAME, "--in", str(wide), "--out", str(out))
    assert done.exit_code == 2
    assert done.output == (f"error: {wide} is 10000x40 pixels; a sketch needs 16 to 8192 "
                           "pixels on each side.\n")
    unknown = run("pix2pix", "translate", "--model", "builtin:sketch", "--in",
                  str(stroke_file), "--out", str(out))
    assert unknown.exit_code == 2
    assert unknown.output == ("error: there is no built-in painting model builtin:sketch; "
                              f"the built-in one is {NAME}.\n")
    assert not out.parent.exists() and list_works() == []


def test_eval_names_the_fetch_command_without_the_library_and_scores_a_folder(pairs_folder,
                                                                             tmp_path):
    missing = run("eval", "--model", NAME, "--data", "builtin:art-library", "--out",
                  str(tmp_path / "eval"))
    assert missing.exit_code == 2
    assert missing.output == (
        "error: builtin:art-library is not on this machine yet; build it once from Debian "
        f"packages with `{FETCH}` (842 MB to download, 74 MB kept in {libraries_dir()}).\n")
    assert not (tmp_path / "eval").exists()
    done = run("eval", "--model", NAME, "--data", str(pairs_folder), "--n", "2", "--out",
               str(tmp_path / "eval"), "--device", "cpu")
    assert done.exit_code == 0, done.output
    scores = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert scores["model"] == str(painting_model_folder(NAME))
    assert (scores["kind"], scores["n"], len(scores["held_out_pictures"])) == ("pix2pix", 2, 1)
    assert scores["l1"] > 0 and scores["l1_hinted"] > 0  # it reads hints: scored with them too


def test_init_from_the_shipped_model_makes_one_real_step(pairs_folder, tmp_path):
    start = {k: v.float() for k, v in checkpoint.read_weights(painting_model_folder(NAME)).items()}
    train = pix2pix_train_config(steps=1, batch_size=2, lr=LR, device="cpu", seed=0)
    result = train_pix2pix(str(pairs_folder), tmp_path / "run", train, "pix2pix",
                           TINY_PIX2PIX.replace(holdout=0.1), init_from=NAME, catalog=False)
    model = checkpoint.load(result.checkpoint)
    assert model.kind == "pix2pix" and result.step == 1
    assert (model.config.size, model.config.ngf, model.config.init_from) == (CROP, 32, NAME)
    assert model.config.sketch.method == "xdog"  # the run's line art, the model's networks
    assert f'"init_from": "{NAME}"' in (result.checkpoint / "card.md").read_text()
    torch.manual_seed(0)
    assert_one_step_from(model, start, LR, translation_class("pix2pix").from_config(model.config))


@pytest.mark.parametrize("other", ["builtin:abstract-gan", "builtin:tang"])
def test_init_from_a_model_of_another_kind_is_one_sentence(other, pairs_folder, tmp_path):
    done = run("pix2pix", "train", "--data", str(pairs_folder), "--out", str(tmp_path / "run"),
               "--init-from", other)
    assert done.exit_code == 2
    assert done.output == (f"error: there is no built-in painting model {other}; the built-in "
                           f"one is {NAME}.\n")
    assert not (tmp_path / "run").exists()


def test_the_canvas_sketch_is_seeded(tmp_path):
    first = demo.canvas_sketch(tmp_path / "a.png", seed=3)
    again = demo.canvas_sketch(tmp_path / "b.png", seed=3)
    other = demo.canvas_sketch(tmp_path / "c.png", seed=4)
    assert first.read_bytes() == again.read_bytes() != other.read_bytes()
    lines = np.asarray(Image.open(first).convert("L"))
    assert lines.shape == (demo.CANVAS_SIDE,) * 2
    assert 0.02 < (lines < 128).mean() < 0.2  # a few strokes on white


def test_the_demo_paints_with_the_shipped_model_first_then_trains_one(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "demo_setup", lambda: (
        TINY_PIX2PIX.replace(holdout=0.1), dict(batch_size=2, save_every=100, log_every=1)))
    [part] = [part for part in MEDIUM.demo if part.name == "sketch"]
    shipped = part.shipped(tmp_path, seed=0, device="cpu")
    works = shipped + part.make(tmp_path, seed=0, device="cpu", minutes=0.01)
    assert [w.title for w in works] == [
        f"Sketch to painting by {NAME}", f"A canvas sketch painted by {NAME}",
        "Sketch to painting by a pix2pix trained here in a minute"]
    # No library here: a built-in painting, said to be perhaps one it learned from.
    assert "arcimboldo-librarian, one of builtin:paintings" in works[0].caption
    assert "so this may be one it was trained on" in works[0].caption
    side = 2 * CROP  # the scale it learned at; the canvas is as large
    for work, pictures in zip(shipped, (3, 2), strict=True):  # lines, painting (, original)
        assert work.provenance["params"]["builtin_model"] == NAME
        width, height = Image.open(work.provenance["params"]["source"]).size
        assert min(width, height) == side
        assert Image.open(work.path).size == (
            pictures * round(width * side / height) + (pictures - 1) * 4, side)
    assert "builtin_model" not in works[2].provenance["params"]
    painted = [w for w in list_works() if w["params"].get("builtin_model") == NAME]
    assert len(painted) == 2
    assert all(reproduce(w["id"], tmp_path / f"again-{w['id']}.png")["identical"]
               for w in painted)


def test_with_the_library_built_the_demo_paints_a_picture_its_run_held_out(tmp_path,
                                                                           monkeypatch):
    library = tmp_path / "libraries"
    (library / "paintings").mkdir(parents=True)
    for index in range(20):
        Image.fromarray(picture(index, (160, 144))).save(library / "paintings" / f"p{index}.jpg")
    monkeypatch.setattr("artforge.data.libraries.libraries_dir", lambda: library)
    [work, _] = demo.shipped_paintings(tmp_path / "out", seed=1, device="cpu")
    # Holdout 0.1 keeps the two names that hash lowest, p11 and p8 in the folder's order;
    # seed 1 takes the second.
    assert work.path.name == "shipped-p8-sketch-to-painting.png"
    assert ("from p8, one of the 2 pictures of builtin:art-library that its training held "
            "out, so a picture it never saw") in work.caption
