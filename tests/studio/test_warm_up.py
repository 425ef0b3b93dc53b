"""The studio's warm-up: a new studio starts its create worker at once, which loads the Sketch
tab's shipped model (exporting its ONNX into the cache) before the first stroke asks for it; a
warm-up that fails is logged and the worker goes on."""

import os
import sys
import time
from pathlib import Path

from artforge.catalog import jobs
from artforge.core import checkpoint
from artforge.image.pix2pix import translate
from artforge.studio.app import create_app
from artforge.studio.settings import StudioSettings
from artforge.studio.tasks import WARM_UPS
from artforge.studio.worker import Worker
from tests.studio.conftest import canvas_png, studio_client, upload
from tests.studio.live import environment

GIVE_UP_S = 300.0
"""A warm-up that has not ended by then is stuck (a busy CPU is slow, not that slow)."""
WARMED = "warm-up artforge.studio.tasks.sketch.warm_up done in"


def paint_with_the_shipped_model(client) -> tuple[dict, dict]:
    """Queue the page's canvas for the shipped model; (the model's listing, the queued job)."""
    shipped = client.get("/api/models", params={"medium": "sketch"}).json()[0]
    assert shipped["name"] == "builtin:sketch-painting"
    drawing = upload(client, "image", canvas_png(), "sketch.png").json()["id"]
    queued = client.post("/api/sketch/paint", json={"model": shipped["id"], "sketch": drawing})
    assert queued.status_code == 202, queued.text
    return shipped, queued.json()


def onnx_files(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "cache" / "onnx").glob("*"))


def test_the_first_stroke_is_painted_by_the_model_the_warm_up_loaded(client, home, monkeypatch):
    loads = []

    def counted(path, *args, **kwargs):
        loads.append(path)
        return load(path, *args, **kwargs)

    load = translate.load_translator
    monkeypatch.setattr(translate, "load_translator", counted)
    monkeypatch.setattr(sys, "argv", list(sys.argv))  # a job sets the catalog's command
    worker = Worker("create", StudioSettings(home=home))
    try:
        worker.warm_up()
        shipped, queued = paint_with_the_shipped_model(client)
        assert onnx_files(home) == [f"{checkpoint.folder_hash(Path(shipped['path']))[:24]}.onnx"]
        worker.run_job(jobs.claim_next(worker.conn, "create", os.getpid()))
    finally:
        worker.conn.close()
    done = client.get(f"/api/jobs/{queued['id']}").json()
    assert done["status"] == "done" and done["result"] == {"image": "painting.png"}, done
    assert loads == [shipped["path"]]  # by the warm-up, under the name the studio gives it
    assert [w["pipeline"] for w in client.get("/api/works").json()] == ["pix2pix.translate"]


def test_a_warm_up_that_fails_is_logged_and_the_worker_goes_on(home, monkeypatch, capsys):
    ran = []

    def broken() -> None:
        raise RuntimeError("no model here")

    monkeypatch.setitem(WARM_UPS, "create", (broken, lambda: ran.append("next")))
    worker = Worker("create", StudioSettings(home=home))
    try:
        worker.warm_up()
    finally:
        worker.conn.close()
    assert ran == ["next"] and not worker.warming
    logged = capsys.readouterr()
    assert (f"warm-up {__name__}.test_a_warm_up_that_fails_is_logged_and_the_worker_goes_on."
            "<locals>.broken failed; the jobs will load what they need:") in logged.err
    assert "RuntimeError: no model here" in logged.err
    assert "<lambda> done in" in logged.out


def test_a_new_studio_warms_its_create_worker_up_before_any_job(tmp_path):
    with environment(ARTFORGE_THREADS="1"), studio_client(tmp_path, workers=True) as client:
        assert set(client.get("/api/status").json()["workers"]) == {"create"}
        log = tmp_path / "studio" / "logs" / "worker-create.log"
        deadline = time.monotonic() + GIVE_UP_S
        while WARMED not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline, "the warm-up is stuck"
            time.sleep(0.1)
        assert client.get("/api/jobs").json() == []  # warmed before anyone asked
        assert len(onnx_files(tmp_path)) == 1
        _, queued = paint_with_the_shipped_model(client)
        while not (job := client.get(f"/api/jobs/{queued['id']}").json())["ended"]:
            assert time.monotonic() < deadline, f"job {queued['id']} is stuck: {job}"
            time.sleep(0.1)
        assert job["status"] == "done", job
        assert len(onnx_files(tmp_path)) == 1  # the warm-up's, used


def test_a_studio_without_warm_up_starts_no_worker_until_work_arrives(tmp_path):
    app = create_app(StudioSettings(home=tmp_path, warm_up=False), start_workers=True)
    pool = app.state.studio.pool
    pool.start()
    try:
        assert pool.pids() == {}
    finally:
        pool.stop()
