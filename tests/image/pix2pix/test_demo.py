"""The demo hook: a few seconds of training on builtin:paintings crops, then a held-out
painting's line art painted by the model, bare and with dabs of its colours, shown beside
the original; a second call
continues the run."""

from PIL import Image

from artforge.catalog import records
from artforge.core import checkpoint
from artforge.image.pix2pix import demo
from tests.image.pix2pix.conftest import TINY_PIX2PIX


def test_the_demo_paints_a_held_out_painting_and_continues_its_run(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "demo_setup", lambda: (
        TINY_PIX2PIX.replace(holdout=0.1), dict(batch_size=2, lr=2e-4, save_every=100,
                                                log_every=1)))
    works = demo.make_demo_painting(tmp_path, seed=0, device="cpu", minutes=0.02)
    assert len(works) == 1 and works[0].kind == "image"
    sheet = Image.open(works[0].path)
    assert sheet.height == 64 and sheet.width > 3.4 * 64  # four pictures side by side
    assert works[0].provenance["pipeline"] == "pix2pix.translate"
    name = works[0].path.name.removesuffix("-sketch-to-painting.png")
    assert name in {"arcimboldo-spring", "van-gogh-village-street-auvers"}  # held out
    made = records.list_works()
    assert {w["pipeline"] for w in made} == {"image.sketch", "pix2pix.translate"}
    hinted = [w for w in made if w["params"].get("hints_from") == f"builtin:paintings/{name}"]
    assert len(hinted) == 1 and hinted[0]["params"]["dabs"] == demo.DEMO_DABS
    first = checkpoint.latest_checkpoint(tmp_path / demo.RUN_NAME)
    demo.make_demo_painting(tmp_path, seed=0, device="cpu", minutes=0.02)
    second = checkpoint.latest_checkpoint(tmp_path / demo.RUN_NAME)
    assert int(second.name[5:]) > int(first.name[5:])
