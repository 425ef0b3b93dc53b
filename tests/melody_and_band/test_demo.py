"""The demo hook: builtin:folk-band accompanies a held-out folk tune at once, then a band model
trained in the user cache accompanies a held-out soprano."""

from artforge.music import datasets as music_data
from artforge.music.band import demo
from tests.melody_and_band.fixtures import chorale_score


def test_demo_band_continues_its_run_and_writes_audio_and_a_sheet(tmp_path, monkeypatch):
    root = tmp_path / "bach"
    monkeypatch.setattr(music_data, "SHIPPED_BACH", root)
    monkeypatch.setattr(demo, "DEMO_MODEL", {"width": 16, "layers": 1, "context": 192})
    for index, part in enumerate(["test", "train", "train", "train"]):
        (root / part).mkdir(parents=True, exist_ok=True)
        chorale_score(shift=index).dump_midi(root / part / f"bwv{index}.mid")
    works = demo.make_demo_band(tmp_path / "out", seed=0, device="cpu", minutes=0.01)
    assert [w.kind for w in works] == ["audio", "image"] * 2
    assert all(w.path.is_file() for w in works)
    assert [w.title for w in works[:2]] == ["Band by builtin:folk-band: listen",
                                            "Band by builtin:folk-band: piano roll"]
    assert "“The Enchanted Valley”" in works[0].caption and "bwv0" in works[2].caption
    assert works[0].provenance["params"]["builtin_model"] == "builtin:folk-band"
    assert works[2].provenance["pipeline"] == "music.band.accompany"
    first = works[2].caption
    again = demo.make_demo_band(tmp_path / "out", seed=0, device="cpu", minutes=0.01)
    assert first != again[2].caption  # the second demo trained on from the first
