"""The demo's style works, made small: the shipped fast styles' strip, a stylised photo with
provenance, its sources, and the built-in decoder's strip."""

from PIL import Image

from artforge.style import demo
from artforge.style.medium import MEDIUM


def test_make_demo_style_returns_the_picture_and_its_sources(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_SIZE", 48)
    monkeypatch.setattr(demo, "DEMO_ITERATIONS", (2,))
    monkeypatch.setattr(demo, "INSTANT_SIZE", 32)
    works = demo.make_demo_style(tmp_path, seed=0, device="cpu")
    assert [w.kind for w in works] == ["image", "image", "image"]
    assert Image.open(works[0].path).size == (48, 32)
    assert works[0].provenance["pipeline"] == "style.transfer"
    assert works[1].path.is_file() and works[1].path.parent == tmp_path / "works"
    assert works[2].provenance["pipeline"] == "style.stylize"  # builtin:adain, three styles
    assert works[2].provenance["params"]["builtin_model"] == "builtin:adain"
    assert Image.open(works[2].path).size == (4 * 32 + 3 * 8, 32)


def test_the_shipped_fast_styles_paint_the_photo_at_once_before_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "FAST_SIZE", 32)
    [part] = MEDIUM.demo
    [work] = part.shipped(tmp_path, seed=0, device="cpu")  # the demo shows it before training
    assert work.kind == "image" and work.path.parent == tmp_path / "works"
    assert Image.open(work.path).size == (7 * 32 + 6 * 8, 21)  # the photo, then six styles
    assert "builtin:starry-night (Van Gogh, The Starry Night)" in work.caption
    assert work.provenance["params"]["builtin_model"] == "builtin:starry-night"
    assert len(list((tmp_path / "works").glob("style-fast-*.png"))) == 7
