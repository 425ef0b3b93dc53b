"""Reading pictures: every mode becomes 8-bit RGB, bad files are one clear error, huge ones
shrink with a warning; built-in names; masks; colour preservation maths."""

import numpy as np
import pytest
from PIL import Image

from artforge.data.pictures import StyleWarning, open_mask, open_picture, to_array
from artforge.errors import UserError
from artforge.style import colour


def test_grey_rgba_palette_and_16_bit_pictures_become_8_bit_rgb(tmp_path):
    grey = tmp_path / "grey.png"
    Image.fromarray(np.full((4, 6), 100, np.uint8)).save(grey)
    deep = tmp_path / "deep.png"
    Image.fromarray(np.full((4, 6), 65535 // 2, np.uint16)).save(deep)
    clear = tmp_path / "clear.png"
    Image.new("RGBA", (6, 4), (255, 0, 0, 0)).save(clear)  # fully transparent red -> white
    half = tmp_path / "half.png"
    Image.new("LA", (6, 4), (0, 128)).save(half)
    cmyk = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (6, 4), (0, 255, 255, 0)).save(cmyk)
    expected = {grey: (100, 100, 100), deep: (127, 127, 127), clear: (255, 255, 255),
                half: (127, 127, 127)}
    for path, rgb in expected.items():
        picture = open_picture(path)
        assert picture.mode == "RGB" and picture.size == (6, 4)
        assert picture.getpixel((3, 2)) == rgb, path.name
    assert open_picture(cmyk).mode == "RGB"


def test_non_image_truncated_and_missing_files_are_user_errors(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    with pytest.raises(UserError, match=r"notes.png is not a readable image \(Unidentified"):
        open_picture(text)
    whole = tmp_path / "whole.jpg"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)).save(whole)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[:600])
    with pytest.raises(UserError, match=r"cut.jpg is not a readable image \(truncated\)"):
        open_picture(cut)
    with pytest.raises(UserError, match="does not exist"):
        open_picture(tmp_path / "nowhere.png")


def test_a_10000_px_picture_is_shrunk_with_a_warning(tmp_path):
    wide = tmp_path / "wide.jpg"
    Image.new("RGB", (10000, 500), (10, 200, 30)).save(wide, quality=90)
    with pytest.warns(StyleWarning, match="larger than 4096 px"):
        picture = open_picture(wide)
    assert picture.size == (4096, 205)
    assert picture.getpixel((2000, 100)) == pytest.approx((10, 200, 30), abs=3)


def test_builtin_names_for_paintings_and_photos():
    assert open_picture("builtin:van-gogh-starry-night").size == (752, 600)
    assert open_picture("builtin:paintings/durer-lion").size == (697, 500)
    assert open_picture("builtin:photos/chelsea").size == (451, 300)
    assert open_picture("builtin:camera").mode == "RGB"  # a grey photo
    with pytest.raises(UserError, match="there is no built-in picture 'builtin:mona'"):
        open_picture("builtin:mona")


def test_mask_of_another_size_is_resized_and_of_another_shape_stretched(tmp_path):
    small = tmp_path / "small.png"
    Image.new("L", (20, 16), 255).save(small)
    assert open_mask(small, (40, 32)).shape == (32, 40)
    tall = tmp_path / "tall.png"
    Image.fromarray(np.tile(np.array([[0], [255]], np.uint8), (1, 10)).repeat(10, 0)).save(tall)
    with pytest.warns(StyleWarning, match="another shape than the picture"):
        mask = open_mask(tall, (40, 32))
    assert mask.shape == (32, 40) and mask[0, 0] == 0.0 and mask[-1, 0] == 1.0


def test_colour_transforms():
    rng = np.random.default_rng(0)
    content = rng.uniform(0.2, 0.8, (16, 16, 3)).astype(np.float32)
    style = rng.uniform(0.0, 0.5, (12, 12, 3)).astype(np.float32) * np.array([1, 0.3, 0.6],
                                                                             np.float32)
    assert np.allclose(colour.yiq_to_rgb(colour.rgb_to_yiq(content)), content, atol=1e-5)
    matched = colour.match_histogram(style, content).reshape(-1, 3)
    assert np.allclose(matched.mean(0), content.reshape(-1, 3).mean(0), atol=2e-3)
    assert np.allclose(np.cov(matched.T), np.cov(content.reshape(-1, 3).T), atol=2e-3)
    luminance = colour.match_luminance(style, content)[..., 0]
    y = colour.rgb_to_yiq(content)[..., 0]
    assert luminance.mean() == pytest.approx(y.mean(), abs=1e-4)
    assert luminance.std() == pytest.approx(y.std(), abs=1e-4)
    brighter = content * 0.8 + 0.15  # a result whose colours stay in gamut
    kept = colour.rgb_to_yiq(colour.with_content_chroma(brighter, content))
    assert np.allclose(kept[..., 1:], colour.rgb_to_yiq(content)[..., 1:], atol=1e-5)
    assert np.allclose(kept[..., 0], colour.rgb_to_yiq(brighter)[..., 0], atol=1e-5)
    assert to_array(Image.new("RGB", (2, 2), (255, 0, 0)))[0, 0].tolist() == [1.0, 0.0, 0.0]
