"""Translation at any size (padding, tiles), the torch and ONNX engines, the pipeline with
provenance and catalog rows, and bad input."""

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from artforge.catalog import records
from artforge.catalog.provenance import read_png_provenance
from artforge.catalog.reproduce import reproduce
from artforge.errors import UserError
from artforge.image.pix2pix.engine import make_engine, resolve_engine
from artforge.image.pix2pix.pairs import shrink_line_art
from artforge.image.pix2pix.tiles import translate_tensor
from artforge.image.pix2pix.train import translation_class
from artforge.image.pix2pix.translate import load_translator, read_sketch, translate
from tests.image.pix2pix.conftest import TINY_HD, TINY_PIX2PIX


@pytest.fixture
def model_folder(tmp_path):
    torch.manual_seed(0)
    model = translation_class("pix2pix").from_config(TINY_PIX2PIX)
    return model.save(tmp_path / "model")


@pytest.fixture
def sketch_file(tmp_path):
    lines = np.full((45, 70), 255, np.uint8)
    lines[10, 5:60] = lines[5:40, 30] = 0
    path = tmp_path / "sketch.png"
    Image.fromarray(lines).save(path)
    return path


def _checked_identity(multiple: int, seen: list):
    def run(x: torch.Tensor) -> torch.Tensor:
        assert x.shape[-2] % multiple == 0 and x.shape[-1] % multiple == 0
        seen.append(tuple(x.shape[-2:]))
        return x[:, :1].expand(-1, 3, -1, -1)  # the line art; colour hints follow it
    return run


@pytest.mark.parametrize("height, width, tile, tiles", [(45, 70, 512, 1), (100, 230, 64, 15)])
def test_padding_and_tiling_give_back_every_pixel(height, width, tile, tiles):
    sketch = torch.rand(1, 1, height, width) * 2 - 1
    seen = []
    out = translate_tensor(_checked_identity(32, seen), sketch, 32, tile, 16)
    assert out.shape == (1, 3, height, width) and len(seen) == tiles
    torch.testing.assert_close(out, sketch.expand(-1, 3, -1, -1))


def test_onnx_and_torch_engines_agree():
    torch.manual_seed(0)
    config = TINY_HD.replace(local_enhancer=True)  # pads, pools, transposed convs, norms
    model = translation_class("pix2pixhd").from_config(config).eval()
    channels = config.condition_channels  # line art, colour hints and their spread
    sketch = torch.rand(2, channels, 32, 96) * 2 - 1
    fast = make_engine(model.generator, channels, "torch", torch.device("cpu"), "a" * 64)
    onnx = make_engine(model.generator, channels, "onnx", torch.device("cpu"), "b" * 64)
    expected = model.generator(sketch)
    assert (fast(sketch) - expected).abs().max() < 1e-4
    assert (onnx(sketch) - expected).abs().max() < 1e-4
    assert resolve_engine("auto", torch.device("cpu")) == "onnx"
    with pytest.raises(UserError, match="--engine must be one of"):
        resolve_engine("tensorrt", torch.device("cpu"))


def test_shrunk_line_art_keeps_thin_lines_black():
    lines = np.full((64, 96), 255, np.uint8)
    lines[20, :] = 0  # a 1-pixel pen line
    lines[:, 50:54] = 0  # a 4-pixel one
    small = np.asarray(shrink_line_art(Image.fromarray(lines), (24, 16)))
    assert small.shape == (16, 24)
    assert small[5].max() == 0  # row 20 / 4: still black, not a 25% grey
    assert small[:, 12].max() == 0 and small[0, :12].min() == 255
    plain = np.asarray(Image.fromarray(lines).resize((24, 16), Image.Resampling.BOX))
    assert plain[5, 0] == 191  # what plain resampling makes of it
    rgb = shrink_line_art(Image.fromarray(np.stack([lines] * 3, -1)), (24, 16))
    assert rgb.mode == "RGB" and np.array_equal(np.asarray(rgb)[..., 1], small)


def test_large_sketches_are_painted_at_the_training_scale(model_folder):
    translator = load_translator(model_folder, engine="torch")
    assert translator.training_side == 64  # twice the 32 px crops
    seen = []
    translator.engine = _checked_identity(32, seen)
    sketch = np.full((200, 300), 255, np.uint8)
    sketch[100, :] = 0
    painted = translator.translate(sketch)
    assert seen == [(64, 96)] and painted.shape == (200, 300, 3)
    assert painted[100, 150].max() < 64 and painted[50, 150].min() == 255  # the line survives
    assert translator.translate(sketch, side=0).shape == (200, 300, 3) and seen[-1] == (224, 320)
    assert translator.translate(sketch[:40, :50], side=64).shape == (40, 50, 3)
    assert seen[-1] == (64, 64)  # smaller sketches are painted as they are (padded)


def test_onnx_export_of_a_deep_unet_with_instance_norm():
    # A U-Net for 128 px crops has 7 downsamplings: traced at 64 px, a normed layer saw a
    # 1x1 map and instance norm refused it, so CPU translation of such models failed.
    torch.manual_seed(0)
    model = translation_class("pix2pix").from_config(TINY_PIX2PIX.replace(size=128, downs=7)).eval()
    assert model.multiple == 128
    sketch = model.condition(torch.rand(1, 1, 128, 256) * 2 - 1)
    onnx = make_engine(model.generator, sketch.shape[1], "onnx", torch.device("cpu"), "c" * 64)
    assert (onnx(sketch) - model.generator(sketch)).abs().max() < 1e-4


def test_translate_a_file_and_a_folder_with_provenance_that_reproduces(model_folder,
                                                                       sketch_file, tmp_path):
    out = tmp_path / "painting.png"
    assert translate(model_folder, sketch_file, out) == [out]
    assert Image.open(out).size == (70, 45) and Image.open(out).mode == "RGB"
    provenance = read_png_provenance(out)
    assert provenance["pipeline"] == "pix2pix.translate"
    assert provenance["params"] == {"source": str(sketch_file), "tile": 512, "side": 64,
                                    "engine": "onnx"}
    work = records.list_works()[0]
    assert work["model_path"] == str(model_folder.resolve())
    assert reproduce(work["id"])["identical"]
    folder = tmp_path / "sketches"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.png", "sub/b.jpg"):
        Image.open(sketch_file).convert("RGB").save(folder / name)
    written = translate(model_folder, folder, tmp_path / "paintings", engine="torch")
    assert written == [tmp_path / "paintings" / "a.png", tmp_path / "paintings/sub/b.png"]
    by_torch = np.asarray(Image.open(written[0]), dtype=int)
    assert np.abs(by_torch - np.asarray(Image.open(out), dtype=int)).max() <= 1  # 8-bit rounding


def test_bad_sketches_and_models_are_refused_and_nothing_is_written(model_folder, sketch_file,
                                                                    tmp_path):
    from artforge.image.gan.train import gan_class
    from tests.image.conftest import TINY_GAN

    text = tmp_path / "text.png"
    text.write_text("no picture here")
    dot = tmp_path / "dot.png"
    Image.new("L", (1, 1)).save(dot)
    out = tmp_path / "out.png"
    with pytest.raises(UserError, match="not a readable image"):
        translate(model_folder, text, out)
    with pytest.raises(UserError, match="1x1 pixels"):
        translate(model_folder, dot, out)
    blank, dark, huge = tmp_path / "blank.png", tmp_path / "dark.png", tmp_path / "huge.png"
    Image.new("RGB", (64, 48), (250, 250, 250)).save(blank)
    Image.new("RGB", (64, 48), (3, 3, 3)).save(dark)
    Image.new("1", (9000, 20)).save(huge)
    with pytest.raises(UserError, match="blank.png is blank: a sketch needs dark lines"):
        translate(model_folder, blank, out)
    with pytest.raises(UserError, match="dark.png is all dark: a sketch needs dark lines"):
        translate(model_folder, dark, out)
    with pytest.raises(UserError, match="9000x20 pixels; a sketch needs 16 to 8192"):
        translate(model_folder, huge, out)
    gan = gan_class("dcgan").from_config(TINY_GAN).save(tmp_path / "gan")
    with pytest.raises(UserError, match="holds a 'dcgan' model, not a pix2pix one"):
        translate(gan, sketch_file, out)
    assert not out.exists() and records.list_works() == []


def test_a_canvas_saved_without_a_ground_is_read_as_lines_on_white(tmp_path):
    on_white = Image.new("RGB", (64, 48), "white")
    on_nothing = Image.new("RGBA", (64, 48), (0, 0, 0, 0))
    for canvas, ink in ((on_white, "black"), (on_nothing, (0, 0, 0, 255))):
        ImageDraw.Draw(canvas).line([(4, 40), (60, 8)], fill=ink, width=3)
    on_nothing.putpixel((2, 2), (0, 0, 0, 128))  # a half-transparent dab of ink: grey
    on_white.putpixel((2, 2), (127, 127, 127))
    on_white.save(tmp_path / "white.png")
    on_nothing.save(tmp_path / "nothing.png")
    assert np.array_equal(read_sketch(tmp_path / "nothing.png"),
                          read_sketch(tmp_path / "white.png"))
