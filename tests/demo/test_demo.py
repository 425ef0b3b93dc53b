import re

from PIL import Image

from artforge.catalog import records
from artforge.catalog.provenance import read_png_provenance
from artforge.core import checkpoint
from artforge.demo.run import run_demo


def test_demo_makes_works_a_page_and_catalog_rows(tmp_path):
    page = run_demo(tmp_path, steps=30, size=16, device="cpu", media=())
    assert page == tmp_path / "index.html"
    html = page.read_text()
    images = re.findall(r'<img src="([^"]+)"', html)
    assert images == ["works/hokusai-great-wave-field-2x.png",
                      "works/hokusai-great-wave-target.png"]
    assert "<svg" in html and "<polyline" in html and "how it was made" in html
    render = tmp_path / images[0]
    assert Image.open(render).size == (32, 22)  # 2x the 16x11 picture the field learned
    provenance = read_png_provenance(render)
    assert provenance["pipeline"] == "field.render"
    assert provenance["model_hash"] == checkpoint.folder_hash(tmp_path / "field-hokusai-great-wave")
    works = records.list_works()
    assert [w["path"] for w in works] == [str(render)]
    runs = records.list_runs()
    assert [(r["kind"], r["status"]) for r in runs] == [("field.train", "steps")]


def test_running_the_demo_again_continues_training(tmp_path):
    run_demo(tmp_path, steps=20, size=16, device="cpu", media=())
    run_demo(tmp_path, steps=40, size=16, device="cpu", media=())
    run = tmp_path / "field-hokusai-great-wave"
    assert checkpoint.latest_checkpoint(run).name == "step-00000040"
    assert len(records.list_works()) == 2


def test_demo_on_your_own_picture_keeps_runs_apart(tmp_path):
    mine = tmp_path / "mine.png"
    Image.new("RGB", (20, 10), (200, 30, 30)).save(mine)
    run_demo(tmp_path / "out", steps=10, size=16, device="cpu", media=())
    page = run_demo(tmp_path / "out", painting=str(mine), steps=10, size=16, device="cpu",
                    media=())
    html = page.read_text()
    assert "mine.png, your picture, at 16×8." in html
    assert (tmp_path / "out/works/mine-field-2x.png").is_file()
    runs = sorted(p.name for p in (tmp_path / "out").glob("field-*"))
    assert runs == ["field-hokusai-great-wave", "field-mine"]
