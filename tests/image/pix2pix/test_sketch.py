"""Line art: pen-line cleanup, the three methods on a synthetic square, and `image sketch`."""

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from artforge.catalog import records
from artforge.catalog.provenance import read_png_provenance
from artforge.catalog.reproduce import reproduce
from artforge.cli import app
from artforge.errors import UserError
from artforge.image.sketch.cleanup import non_maximum_suppression, pen_lines, remove_short
from artforge.image.sketch.methods import SketchConfig, line_art
from artforge.image.sketch.pipeline import extract_sketch


def square_picture() -> np.ndarray:
    pixels = np.zeros((64, 64, 3), np.uint8)
    pixels[16:48, 16:48] = 255
    return pixels


def test_suppression_keeps_the_crest_of_a_ridge_in_any_direction():
    across = np.array([0.2, 0.6, 1.0, 0.6, 0.2])
    horizontal = np.zeros((9, 9))
    horizontal[2:7] = across[:, None]
    assert np.array_equal(non_maximum_suppression(horizontal) > 0,
                          np.arange(9)[:, None].repeat(9, 1) == 4)
    assert np.array_equal(non_maximum_suppression(horizontal.T) > 0,
                          np.arange(9)[None, :].repeat(9, 0) == 4)
    diagonal = np.clip(1 - np.abs(np.subtract.outer(np.arange(9), np.arange(9))) / 1.5, 0, 1)
    assert np.array_equal(non_maximum_suppression(diagonal) > 0, np.eye(9, dtype=bool))


def test_short_pieces_go_and_lines_come_out_one_pixel_wide():
    mask = np.zeros((20, 20), bool)
    mask[5, 2:18] = True  # a 16-pixel line
    mask[12, 4:7] = True  # a 3-pixel speck
    assert remove_short(mask, 5).sum() == 16
    thick = np.zeros((32, 32))
    thick[10:15, 3:29] = [[0.3], [0.7], [0.9], [0.7], [0.3]]
    lines = pen_lines(thick, low=0.2, high=0.5, min_pixels=5)
    assert lines.sum(axis=0)[4:28].tolist() == [1] * 24  # one pixel per column, on row 12
    assert lines[12, 4:28].all()


@pytest.mark.parametrize("method", ["hed", "xdog", "canny"])
def test_each_method_draws_the_square_outline_and_leaves_flat_areas_white(method):
    lines = line_art(square_picture(), SketchConfig(method=method, width=1))
    assert lines.shape == (64, 64) and lines.dtype == np.uint8
    assert set(np.unique(lines)) == {0, 255}
    ink = lines == 0
    near_edge = np.zeros((64, 64), bool)
    near_edge[12:52, 12:52] = True
    near_edge[21:43, 21:43] = False
    assert not ink[~near_edge].any()  # nothing in the flat areas, inside or out
    middle = range(20, 44)  # each side of the square is drawn all along
    assert all(ink[r, 12:21].any() and ink[r, 43:52].any() for r in middle)
    assert all(ink[12:21, c].any() and ink[43:52, c].any() for c in middle)


def test_width_thickens_the_lines():
    thin = (line_art(square_picture(), SketchConfig(method="canny", width=1)) == 0).sum()
    wide = (line_art(square_picture(), SketchConfig(method="canny", width=3)) == 0).sum()
    assert 2.5 * thin < wide < 3.5 * thin


def test_sketch_command_writes_a_png_with_provenance_that_reproduces(tmp_path):
    source = tmp_path / "square.png"
    Image.fromarray(square_picture()).save(source)
    out = tmp_path / "lines.png"
    result = CliRunner().invoke(app, ["image", "sketch", "--in", str(source), "--out", str(out),
                                      "--method", "xdog"])
    assert result.exit_code == 0, result.output
    assert Image.open(out).mode == "L" and Image.open(out).size == (64, 64)
    provenance = read_png_provenance(out)
    assert provenance["pipeline"] == "image.sketch"
    assert provenance["params"]["config"]["method"] == "xdog"
    work = records.list_works()[0]
    assert reproduce(work["id"])["identical"]


def test_bad_pictures_are_refused_and_nothing_is_written(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    dot = tmp_path / "dot.png"
    Image.new("RGB", (1, 1)).save(dot)
    out = tmp_path / "out.png"
    with pytest.raises(UserError, match="not a readable image"):
        extract_sketch(str(text), out)
    with pytest.raises(UserError, match="1x1 pixels"):
        extract_sketch(str(dot), out)
    with pytest.raises(UserError, match="must be a .png"):
        extract_sketch(str(dot), tmp_path / "out.jpg")
    result = CliRunner().invoke(app, ["image", "sketch", "--in", str(dot), "--out", str(out)])
    assert result.exit_code == 2 and "error:" in result.output
    assert not out.exists() and records.list_works() == []
