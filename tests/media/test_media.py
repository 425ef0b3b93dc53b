"""The media list: what each descriptor says matches the code, and a medium added to the list
alone appears in the doctor, the studio and the demo."""

import pytest
from click.testing import CliRunner

from artforge import media
from artforge.cli import app
from artforge.core.medium import DemoPart, Feature, Medium, Work
from artforge.core.registry import MODELS, PIPELINES
from artforge.data.shipped_models import shipped_folder
from artforge.demo.run import plan, run_demo
from artforge.errors import UserError


def test_descriptors_name_what_their_media_register():
    def ours(names):  # the test suite registers pipelines of its own ("test.catalog...")
        return [name for name in names if not name.startswith("test.")]

    assert sorted(k for m in media.MEDIA for k in m.model_kinds) == ours(MODELS.names())
    assert sorted(p for m in media.MEDIA for p in m.pipelines) == ours(PIPELINES.names())


def test_names_are_unique_across_media():
    for names in ([m.name for m in media.MEDIA], [p.name for p in media.demo_parts()],
                  [f.name for f in media.features()], [s.name for s in media.shipped_models()]):
        assert len(names) == len(set(names)), names


def test_every_shipped_model_is_a_complete_folder():
    assert [s.name for s in media.shipped_models()] == [
        "builtin:tang", "builtin:english-verse", "builtin:bach", "builtin:folk",
        "builtin:bach-melody", "builtin:bach-melody-16", "builtin:folk-band", "builtin:adain"]
    for shipped in media.shipped_models():
        folder = shipped_folder(shipped)
        assert {"config.json", "card.md", "model.safetensors"} <= {p.name for p in
                                                                   folder.iterdir()}


def test_every_feature_loads():
    for feature in media.features():
        assert feature.load() is not None, feature.name


def _sculpture_part(out_dir, *, seed, device):
    path = out_dir / "works" / "sculpture.txt"
    path.write_text(f"a clay figure, seed {seed}\n")
    return [Work("A sculpture", "text", path, body=path.read_text(), caption="made in a test")]


SCULPTURE = Medium(name="sculpture", label="Sculpture",
                   demo=(DemoPart("sculpture", "a clay figure", _sculpture_part),),
                   features=(Feature("clay", "Clay figures", lambda: _sculpture_part),))


@pytest.fixture
def with_sculpture(monkeypatch):
    monkeypatch.setattr(media, "MEDIA", [*media.MEDIA, SCULPTURE])


def test_a_new_medium_shows_in_the_doctor(with_sculpture):
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "ok sculpture" in result.output and "Sculpture (models: none; demo: sculpture)" \
        in result.output


def test_a_new_medium_shows_in_the_studio(with_sculpture, client):
    from artforge.studio import features

    features.availability.cache_clear()
    try:
        status = client.get("/api/status").json()
    finally:
        features.availability.cache_clear()
    assert status["media"][-1] == {"name": "sculpture", "label": "Sculpture",
                                   "features": ["clay"]}
    assert status["features"]["clay"] == {"label": "Clay figures", "available": True,
                                          "reason": ""}


def test_a_new_medium_is_in_the_demo_plan_and_page(with_sculpture, tmp_path):
    assert [p.name for p in plan()][-1] == "sculpture"
    assert [p.name for p in plan(("sculpture", "text"))] == ["text", "sculpture"]
    page = run_demo(tmp_path, steps=2, size=16, media=("sculpture",))
    assert "a clay figure, seed 0" in page.read_text()
    assert (tmp_path / "works" / "sculpture.txt").is_file()


def test_an_unknown_demo_part_is_refused_with_the_known_ones(tmp_path):
    with pytest.raises(UserError, match="the demo has no part 'sculpture'; choose among text"):
        plan(("sculpture",))
    with pytest.raises(UserError, match="no part 'sculpture'"):
        run_demo(tmp_path / "demo", steps=2, size=16, media=("sculpture",))
    assert not (tmp_path / "demo").exists()  # refused before the field trained


def test_demo_minutes_reach_every_part_that_trains(monkeypatch, tmp_path):
    budgets = {}

    def part(name: str, trains: bool) -> DemoPart:
        def make(out_dir, *, seed, device, **budget):
            budgets[name] = budget
            return []
        return DemoPart(name, name, make, trains=trains)

    clay = Medium(name="clay", label="Clay", demo=(part("kiln", True), part("glaze", False)))
    monkeypatch.setattr(media, "MEDIA", [clay])
    run_demo(tmp_path, steps=2, size=16, minutes=0.5)
    assert budgets == {"kiln": {"minutes": 0.5}, "glaze": {}}
    run_demo(tmp_path / "again", steps=2, size=16)
    assert budgets == {"kiln": {}, "glaze": {}}  # without --minutes each keeps its own
