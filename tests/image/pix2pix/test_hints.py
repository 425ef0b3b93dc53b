"""Colour hints: sampling dabs from paintings, reading hint pictures, shrinking them, and a
model trained with hints painting a sketch with and without them."""

import numpy as np
import pytest
import torch
from PIL import Image

from artforge.catalog import records
from artforge.catalog.provenance import read_png_provenance
from artforge.catalog.reproduce import reproduce
from artforge.core import checkpoint
from artforge.errors import UserError
from artforge.image.pix2pix.hints import (
    dabs_from_picture,
    read_hint_pixels,
    resize_hints,
    sample_hints,
    spread_hints,
)
from artforge.image.pix2pix.tiles import translate_tensor
from artforge.image.pix2pix.train import translation_class
from artforge.image.pix2pix.translate import load_translator, translate
from tests.image.pix2pix.conftest import TINY_PIX2PIX, trains_and_resumes_bit_for_bit

HINTED = TINY_PIX2PIX.replace(hints=True)


def test_sampled_dabs_carry_the_mean_colour_under_them():
    torch.manual_seed(0)
    pictures = torch.rand(64, 3, 32, 32) * 2 - 1
    generator = torch.Generator().manual_seed(3)
    hints = sample_hints(pictures, generator)
    assert hints.shape == (64, 4, 32, 32)
    mask = hints[:, 3]
    assert set(mask.unique().tolist()) == {0.0, 1.0}
    assert torch.equal(hints[:, :3] * mask[:, None], hints[:, :3])  # no colour off the dabs
    empty = (mask.sum(dim=(1, 2)) == 0).sum().item()
    assert 6 <= empty <= 30  # about a quarter of the crops get none
    # A lone dab holds the mean of the picture under it (dabs may overlap, so find one
    # picture whose mask is a single square).
    for index in range(64):
        rows, cols = torch.nonzero(mask[index], as_tuple=True)
        if len(rows) and len(rows) == (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1):
            box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
            expected = pictures[index, :, box[0], box[1]].mean(dim=(1, 2))
            assert torch.allclose(hints[index, :3, rows[0], cols[0]], expected)
            break
    else:
        pytest.fail("no picture with a single dab")
    again = sample_hints(pictures, torch.Generator().manual_seed(3))
    assert torch.equal(hints, again)


def test_hint_pictures_with_and_without_transparency():
    rgba = np.zeros((4, 5, 4), np.uint8)
    rgba[1, 2] = (255, 0, 0, 255)
    rgba[3, 4] = (0, 0, 255, 100)  # mostly transparent: not a hint
    hints = read_hint_pixels(rgba)
    assert hints.shape == (1, 4, 4, 5)
    assert hints[0, 3].nonzero().tolist() == [[1, 2]]
    assert hints[0, :3, 1, 2].tolist() == [1.0, -1.0, -1.0]
    assert hints[0, :3].abs().sum() == 3.0
    page = np.full((4, 5, 3), 255, np.uint8)
    page[0, 0] = (250, 250, 250)  # still paper
    page[2, 3] = (0, 128, 0)
    hints = read_hint_pixels(page)
    assert hints[0, 3].nonzero().tolist() == [[2, 3]]
    green = torch.tensor([-1.0, 128 / 127.5 - 1, -1.0])
    assert torch.allclose(hints[0, :3, 2, 3], green, atol=1e-6)


def test_shrinking_keeps_thin_strokes_and_their_colour():
    rgba = np.zeros((8, 8, 4), np.uint8)
    rgba[:, 5] = (0, 255, 0, 255)  # a one-pixel green stroke
    small = resize_hints(read_hint_pixels(rgba), (2, 2))
    assert small[0, 3].tolist() == [[0.0, 1.0], [0.0, 1.0]]
    assert small[0, :3, :, 1].T.tolist() == [[-1.0, 1.0, -1.0]] * 2
    assert small[0, :3, :, 0].abs().sum() == 0


def test_hint_channels_are_padded_as_no_hint():
    seen = []

    def run(x):
        seen.append(x.clone())
        return x[:, :3]

    sketch = torch.cat([torch.full((1, 1, 5, 7), -1.0), torch.ones(1, 4, 5, 7)], dim=1)
    translate_tensor(run, sketch, 8, 512, 64, paper_channels=1)
    padded = seen[0]
    assert padded.shape == (1, 5, 8, 8)
    assert padded[0, 0, 5:].eq(1).all() and padded[0, 1:, 5:].eq(0).all()
    assert padded[0, 1:, :5, :7].eq(1).all()


def test_a_hinted_model_trains_resumes_and_paints_with_and_without_hints(paired_folder,
                                                                         tmp_path):
    trains_and_resumes_bit_for_bit(paired_folder, tmp_path, HINTED)
    model = checkpoint.load(checkpoint.resolve(tmp_path / "run"))
    assert model.config.hints and model.generator.multiple == 32
    sketch = torch.rand(1, 1, 32, 32) * 2 - 1
    red = torch.zeros(1, 4, 32, 32)
    red[:, 0, 8:24, 8:24], red[:, 1:3, 8:24, 8:24], red[:, 3, 8:24, 8:24] = 1, -1, 1
    bare, hinted = model.translate(sketch), model.translate(sketch, red)
    assert bare.shape == hinted.shape == (1, 3, 32, 32)
    assert not torch.equal(bare, hinted)
    assert torch.equal(bare, model.translate(sketch, torch.zeros(1, 4, 32, 32)))


@pytest.fixture
def hinted_folder(tmp_path):
    torch.manual_seed(0)
    return translation_class("pix2pix").from_config(HINTED).save(tmp_path / "hinted")


def test_translate_with_a_hint_picture_records_it_and_reproduces(hinted_folder, tmp_path):
    lines = np.full((45, 70), 255, np.uint8)
    lines[10, 5:60] = 0
    sketch = tmp_path / "sketch.png"
    Image.fromarray(lines).save(sketch)
    colours = np.zeros((45, 70, 4), np.uint8)
    colours[20:30, 10:40] = (200, 30, 30, 255)
    hints = tmp_path / "hints.png"
    Image.fromarray(colours, "RGBA").save(hints)
    out, bare = tmp_path / "painted.png", tmp_path / "bare.png"
    translate(hinted_folder, sketch, out, hints=hints)
    translate(hinted_folder, sketch, bare)
    assert read_png_provenance(out)["params"]["hints"] == str(hints)
    assert "hints" not in read_png_provenance(bare)["params"]
    assert not np.array_equal(np.asarray(Image.open(out)), np.asarray(Image.open(bare)))
    translator = load_translator(hinted_folder, engine="torch")
    by_torch = translator.translate(np.asarray(Image.open(sketch).convert("RGB")), side=64,
                                    hints=colours)
    assert np.abs(by_torch.astype(int) - np.asarray(Image.open(out), dtype=int)).max() <= 1
    work = next(w for w in records.list_works() if w["path"] == str(out))
    assert reproduce(work["id"])["identical"]


def test_bad_hints_are_refused_and_nothing_is_written(hinted_folder, tmp_path):
    torch.manual_seed(0)
    plain = translation_class("pix2pix").from_config(TINY_PIX2PIX.replace(hints=False)).save(
        tmp_path / "plain")
    sketch = tmp_path / "sketch.png"
    Image.new("L", (40, 30), 255).save(sketch)
    wrong_size = tmp_path / "wrong.png"
    Image.new("RGBA", (30, 40)).save(wrong_size)
    text = tmp_path / "text.png"
    text.write_text("no picture")
    out = tmp_path / "out.png"
    with pytest.raises(UserError, match="trained without colour hints"):
        translate(plain, sketch, out, hints=wrong_size)
    with pytest.raises(UserError, match="hints are 30x40 pixels but the sketch is 40x30"):
        translate(hinted_folder, sketch, out, hints=wrong_size)
    with pytest.raises(UserError, match="not a readable image"):
        translate(hinted_folder, sketch, out, hints=text)
    with pytest.raises(UserError, match="does not exist"):
        translate(hinted_folder, sketch, out, hints=tmp_path / "missing.png")
    with pytest.raises(UserError, match="give --in a sketch file, not a"):
        translate(hinted_folder, tmp_path, tmp_path / "outs", hints=wrong_size)
    assert not out.exists() and records.list_works() == []


def test_hints_are_on_for_new_models_and_off_for_folders_saved_before_them():
    from artforge.image.pix2pix.architectures import Pix2PixConfig

    assert Pix2PixConfig().hints and Pix2PixConfig().condition_channels == 8
    saved = Pix2PixConfig().to_dict()
    del saved["hints"]
    assert not Pix2PixConfig.from_dict(saved).hints
    assert Pix2PixConfig.from_dict(saved).condition_channels == 1


def test_dabs_from_a_picture_are_seeded_squares_of_its_colours():
    picture = np.zeros((80, 120, 3), np.uint8)
    picture[:, 60:] = (10, 200, 30)
    hints = dabs_from_picture(picture, 25, seed=4)
    assert hints.shape == (80, 120, 4)
    opaque = hints[..., 3] == 255
    assert 0 < opaque.sum() <= 25 * 4  # dabs of 2x2 pixels (80 / 40), some may overlap
    assert set(map(tuple, hints[opaque][:, :3])) <= {(0, 0, 0), (10, 200, 30), (5, 100, 15)}
    assert np.array_equal(hints, dabs_from_picture(picture, 25, seed=4))
    assert not np.array_equal(hints, dabs_from_picture(picture, 25, seed=5))


def test_hints_from_a_picture_are_recorded_and_reproduce(hinted_folder, tmp_path):
    sketch = tmp_path / "sketch.png"
    Image.new("L", (64, 48), 255).save(sketch)
    out = tmp_path / "painted.png"
    translate(hinted_folder, sketch, out, hints_from="builtin:chelsea", dabs=30, hint_seed=2)
    params = read_png_provenance(out)["params"]
    assert (params["hints_from"], params["dabs"], params["hint_seed"]) == ("builtin:chelsea",
                                                                          30, 2)
    work = records.list_works()[0]
    assert reproduce(work["id"])["identical"]
    with pytest.raises(UserError, match="--dabs must be at least 1"):
        translate(hinted_folder, sketch, tmp_path / "x.png", hints_from="builtin:chelsea",
                  dabs=0)


def test_spreading_fills_the_picture_from_the_hints():
    one = torch.zeros(1, 4, 7, 9)
    one[0, :3, 2, 6], one[0, 3, 2, 6] = torch.tensor([0.5, -0.25, 1.0]), 1
    spread = spread_hints(one)
    assert spread.shape == (1, 3, 7, 9)
    assert torch.allclose(spread, torch.tensor([0.5, -0.25, 1.0])[None, :, None, None]
                          .expand(1, 3, 7, 9), atol=1e-6)  # one hint colours everything
    two = torch.zeros(1, 4, 8, 8)
    two[0, 0, 0, 0], two[0, 0, 7, 7] = 1.0, -1.0
    two[0, 3, 0, 0] = two[0, 3, 7, 7] = 1
    spread = spread_hints(two)[0, 0]
    assert spread[0, 0] == 1.0 and spread[7, 7] == -1.0  # hints keep their colour
    assert spread[1, 1] > spread[3, 4] > spread[6, 6]  # and fade into each other
    assert torch.allclose(spread, -spread.flip(0, 1), atol=1e-6)  # symmetrically
    assert spread_hints(torch.zeros(2, 4, 5, 6)).abs().max() == 0
