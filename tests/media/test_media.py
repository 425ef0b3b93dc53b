"""The media list: what each descriptor says matches the code, and a medium added to the list
alone appears in the doctor, the studio and the demo."""

import re

import pytest
from click.testing import CliRunner

from artforge import media
from artforge.cli import app
from artforge.core.medium import SIZES, DemoPart, Feature, Medium, Training, Work
from artforge.core.registry import MODELS, PIPELINES
from artforge.data.shipped_models import builtin_params, shipped_folder
from artforge.demo.run import plan, run_demo
from artforge.errors import UserError
from artforge.image.recipes import GAN_SIZES, SKETCH_SIZES
from artforge.music.recipes import BAND_SIZES, MELODY_SIZES, MUSIC_SIZES
from artforge.text.recipes import TEXT_SIZES

FAST_STYLES = ("builtin:starry-night", "builtin:great-wave", "builtin:composition-viii",
               "builtin:auvers", "builtin:moulin", "builtin:summertime")


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
        "builtin:bach-melody", "builtin:bach-melody-16", "builtin:folk-band",
        "builtin:abstract-gan", "builtin:paintings-gan", "builtin:sketch-painting",
        "builtin:adain", *FAST_STYLES]
    for shipped in media.shipped_models():
        folder = shipped_folder(shipped)
        assert {"config.json", "card.md", "model.safetensors"} <= {p.name for p in
                                                                   folder.iterdir()}


def test_a_shipped_model_is_recorded_by_name_whether_named_or_given_by_its_folder(tmp_path):
    shipped = media.shipped_models()
    tang = next(s for s in shipped if s.name == "builtin:tang")
    named = {"builtin_model": "builtin:tang"}
    assert builtin_params("builtin:tang", shipped) == named
    assert builtin_params(shipped_folder(tang), shipped) == named  # as the studio passes it
    assert builtin_params(str(shipped_folder(tang)) + "/", shipped) == named
    assert builtin_params("builtin:nothing", shipped) == {}
    assert builtin_params(tmp_path, shipped) == {}


def test_a_feature_creates_with_its_medium_kinds_and_trains_on_its_sets():
    for medium in media.MEDIA:
        for feature in medium.features:
            assert set(feature.model_kinds) <= set(medium.model_kinds), feature.name
            if feature.training:
                sets = [name for name, _ in feature.training.datasets]
                assert set(sets) <= set(medium.datasets), feature.name


def test_the_tabs_that_train_and_their_recipes():
    trained = {f.name: f.training for f in media.features() if f.training}
    assert list(trained) == ["text", "music", "melody", "band", "gan", "sketch"]
    common = dict(steps=40, minutes=1.0, seed=3, save_every=4, batch_size=8, log_every=1)
    configs = {name: training.config(**common) for name, training in trained.items()}
    assert {name: (c.steps, c.batch_size) for name, c in configs.items()} == {
        "text": (40, 8), "music": (40, 8), "melody": (40, 8), "band": (40, 8), "gan": (40, 8),
        "sketch": (40, 4)}  # pix2pix keeps its batches of 4
    assert (configs["melody"].lr, configs["text"].warmup_steps) == (3e-3, 4)
    for table in (TEXT_SIZES, MUSIC_SIZES, MELODY_SIZES, BAND_SIZES, GAN_SIZES, SKETCH_SIZES):
        assert tuple(table) == SIZES


def test_every_feature_loads():
    for feature in media.features():
        assert feature.load() is not None, feature.name


def _sculpture_part(out_dir, *, seed, device):
    path = out_dir / "works" / "sculpture.txt"
    path.write_text(f"a clay figure, seed {seed}\n")
    return [Work("A sculpture", "text", path, body=path.read_text(), caption="made in a test")]


def _never(*args, **kwargs):
    raise AssertionError("no worker runs in these tests")


CLAY = Training("Clay figures", (("builtin:kiln", "Figures from the kiln"),), ("zip",),
                config=_never, fit=_never)
SCULPTURE = Medium(name="sculpture", label="Sculpture",
                   demo=(DemoPart("sculpture", "a clay figure", _sculpture_part),),
                   features=(Feature("clay", "Clay figures", lambda: _sculpture_part,
                                     model_kinds=("armature",), noun="figure",
                                     training=CLAY),))


@pytest.fixture
def with_sculpture(monkeypatch):
    from artforge.studio import features

    monkeypatch.setattr(media, "MEDIA", [*media.MEDIA, SCULPTURE])
    features.availability.cache_clear()  # the studio checks its features once a process
    yield
    features.availability.cache_clear()


def test_a_new_medium_shows_in_the_doctor(with_sculpture):
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "ok sculpture" in result.output and "Sculpture (models: none; demo: sculpture)" \
        in result.output


def test_a_new_medium_shows_in_the_studio(with_sculpture, client):
    status = client.get("/api/status").json()
    assert status["media"][-1] == {"name": "sculpture", "label": "Sculpture",
                                   "features": ["clay"]}
    assert status["features"]["clay"] == {"label": "Clay figures", "available": True,
                                          "reason": ""}
    assert status["builtin_data"]["clay"] == ["builtin:kiln"]
    assert status["training"]["clay"] == {
        "label": "Clay figures", "noun": "figure", "uploads": ["zip"],
        "datasets": [{"name": "builtin:kiln", "label": "Figures from the kiln"}]}
    assert status["training"]["gan"]["noun"] == "pictures"


def test_a_new_medium_trains_in_the_studio(with_sculpture, client):
    wrong = client.post("/api/training", json={"medium": "clay", "data": "builtin:bach"})
    assert wrong.status_code == 400 and "choose one of builtin:kiln" in wrong.json()["error"]
    job = client.post("/api/training", json={"medium": "clay", "data": "builtin:kiln"})
    assert job.status_code == 202 and job.json()["request"]["medium"] == "clay"
    listed = client.get("/api/models", params={"medium": "clay"})
    assert listed.status_code == 200 and listed.json() == []  # no armature yet


def test_a_medium_not_on_the_list_is_refused_by_the_studio(client):
    refused = client.post("/api/training", json={"medium": "clay", "data": "builtin:kiln"})
    assert refused.status_code == 422 and "'gan', 'sketch'" in refused.json()["error"]
    assert client.get("/api/models", params={"medium": "clay"}).status_code == 422


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


def test_the_shipped_models_works_are_on_the_page_before_anything_trains(monkeypatch, tmp_path):
    def shipped(out_dir, *, seed, device):
        return [Work("A shipped figure", "text", body="ready", caption="no training")]

    def trained(out_dir, *, seed, device, **budget):
        return [Work("A trained figure", "text", body="later", caption="a minute")]

    clay = Medium(name="clay", label="Clay",
                  demo=(DemoPart("kiln", "kiln", trained, trains=True, shipped=shipped),))
    monkeypatch.setattr(media, "MEDIA", [clay])
    pages: list[str] = []
    page = run_demo(tmp_path, steps=2, size=16, on_page=lambda p: pages.append(p.read_text()))
    titles = [list(dict.fromkeys(re.findall(
        r"A shipped figure|Neural field painting|A trained figure", html))) for html in pages]
    assert titles[0] == ["A shipped figure"] and "this page grows" in pages[0]
    assert titles[-1] == ["A shipped figure", "Neural field painting", "A trained figure"]
    assert "this page grows" not in pages[-1] and page.read_text() == pages[-1]
