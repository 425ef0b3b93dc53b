"""Jobs run by the studio's real worker processes: each kind makes its work through the
library, progress streams, a failure says why, cancel stops (training saves), and a job cut
off by a dead worker or a restart resumes from its checkpoint."""

import io
import os
import re
import signal
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from artforge.catalog import jobs
from artforge.catalog.db import connect
from artforge.catalog.reproduce import reproduce
from artforge.core.checkpoint import latest_checkpoint
from artforge.studio.app import create_app
from artforge.studio.settings import StudioSettings
from tests.studio.conftest import (
    canvas_png,
    midi_bytes,
    more_tiny_models,
    noise_png,
    studio_client,
    tiny_models,
    upload,
    zip_bytes,
)
from tests.studio.live import environment, share_weights

GIVE_UP_S = 300.0
"""A job that has not ended by then is stuck (a busy CPU is slow, not that slow)."""


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    home = tmp_path_factory.mktemp("studio-jobs")
    share_weights(home, tmp_path_factory.getbasetemp())
    models = {**tiny_models(home), **more_tiny_models(home)}
    with environment(ARTFORGE_THREADS="1"), studio_client(home, workers=True) as client:
        yield client, home, models


@pytest.fixture(autouse=True)
def one_thread_as_the_workers():
    """Works are made again in this process as the workers made them (ARTFORGE_THREADS=1): a
    convolution summed on two threads can differ in its last bits, a GAN picture by a level."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def wait(client, job_id: int, until=jobs.ENDED, check=None) -> dict:
    deadline = time.monotonic() + GIVE_UP_S
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in until or (check is not None and check(job)):
            return job
        assert time.monotonic() < deadline, f"job {job_id} is stuck: {job}"
        time.sleep(0.1)


def submit(client, path: str, body: dict) -> dict:
    answer = client.post(path, json=body)
    assert answer.status_code == 202, answer.text
    return answer.json()


def test_suggestions_keep_the_form_and_stream_as_they_are_written(shared):
    client, _, models = shared
    job = submit(client, "/api/text/suggest", {"model": models["text"], "prompt": "床",
                                               "form": "jueju5", "suggestions": 2, "seed": 5})
    with client.stream("GET", f"/api/jobs/{job['id']}/events") as events:
        stream = "".join(events.iter_text())
    done = client.get(f"/api/jobs/{job['id']}").json()
    assert done["status"] == "done", done
    made = done["result"]["suggestions"]
    assert [s["seed"] for s in made] == [5, 6]
    for suggestion in made:
        assert re.fullmatch(r".{5}，.{5}。\n.{5}，.{5}。", "床" + suggestion["text"])
    # The stream sends the job's state as it polls it: on a busy machine a short job can go
    # from queued to done between two polls, so "running" may or may not be seen — but the
    # states it shows come in order and it ends with done.
    seen = re.findall(r'"status": "(\w+)"', stream)
    assert seen == sorted(seen, key=["queued", "running", "done"].index), seen
    assert stream.rstrip().endswith('{"status": "done"}')


def test_a_failure_says_why(shared):
    client, _, models = shared
    job = submit(client, "/api/text/suggest", {"model": models["text"], "prompt": "🙂"})
    failed = wait(client, job["id"])
    assert failed["status"] == "failed" and failed["resumable"]
    assert "🙂" in failed["error"] and "Traceback" not in failed["error"]


def test_a_played_melody_is_continued_heard_and_catalogued(shared):
    client, home, models = shared
    notes = [{"pitch": p, "start": i, "length": 1} for i, p in enumerate((60, 64, 67, 72))]
    job = submit(client, "/api/music/continue", {"model": models["music"], "notes": notes,
                                                 "bars": 2, "key": "C major", "seed": 1})
    done = wait(client, job["id"])
    assert done["status"] == "done", done
    result = done["result"]
    assert (result["midi"], result["wav"], result["png"], result["primer"]) == (
        "piece.mid", "piece.wav", "piece.png", "primer.mid")
    files = {name: client.get(f"/api/jobs/{job['id']}/files/{name}") for name in
             ("piece.mid", "piece.wav", "piece.png")}
    assert files["piece.mid"].content.startswith(b"MThd")
    assert files["piece.wav"].content.startswith(b"RIFF")
    assert files["piece.png"].headers["content-type"] == "image/png"
    piece = next(w for w in client.get("/api/works").json() if w["medium"] == "music")
    assert piece["command"] == f"artforge studio job {job['id']}"
    assert piece["params"]["primer"] == str(home / "studio" / "jobs" / str(job["id"])
                                            / "primer.mid")
    assert {c["type"] for c in piece["companions"]} == {"audio", "image"}


def test_grid_variations_and_blend_are_works_that_reproduce(shared):
    client, home, models = shared
    base = {"model": models["gan"], "seed": 7, "truncation": 0.8, "count": 9}
    grid = wait(client, submit(client, "/api/image/grid", base)["id"])
    assert grid["result"] == {"image": "grid.png", "count": 9, "columns": 3, "gap": 2}
    vary = wait(client, submit(client, "/api/image/vary", {**base, "index": 4,
                                                           "variations": 3})["id"])
    blend = wait(client, submit(client, "/api/image/blend", {**base, "a": 0, "b": 8,
                                                             "steps": 5})["id"])
    assert vary["result"]["count"] == 4 and blend["result"]["count"] == 5
    made = {w["pipeline"]: w for w in client.get("/api/works").json()}
    assert {"gan.sample", "studio.gan.vary", "studio.gan.blend"} <= set(made)
    conn = connect(home / "catalog.db")
    for pipeline in ("studio.gan.vary", "studio.gan.blend"):
        assert reproduce(made[pipeline]["id"], conn=conn)["identical"]
    conn.close()


def test_the_shipped_gans_are_offered_first_and_draw_at_their_size(shared):
    client, home, _ = shared
    listed = client.get("/api/models", params={"medium": "gan"}).json()
    assert [m["name"] for m in listed[:2]] == ["builtin:abstract-gan", "builtin:paintings-gan"]
    base = {"model": listed[0]["id"], "seed": 1, "count": 4}
    grid = wait(client, submit(client, "/api/image/grid", base)["id"])
    assert grid["status"] == "done", grid
    picture = client.get(f"/api/jobs/{grid['id']}/files/grid.png").content
    assert Image.open(io.BytesIO(picture)).size == (2 * 128 + 2,) * 2
    vary = wait(client, submit(client, "/api/image/vary", {**base, "index": 3,
                                                           "variations": 2})["id"])
    assert vary["status"] == "done", vary
    made = next(w for w in client.get("/api/works").json() if w["pipeline"] == "studio.gan.vary")
    conn = connect(home / "catalog.db")
    assert reproduce(made["id"], conn=conn)["identical"]
    conn.close()


def test_a_photo_is_stylised_where_the_mask_says(shared):
    client, _, _ = shared
    photo = upload(client, "image", noise_png(1, 48)).json()["id"]
    mask = upload(client, "image", noise_png(2, 48)).json()["id"]
    job = submit(client, "/api/style/image", {"content": photo, "mask": mask, "size": 64,
                                              "style": "builtin:hokusai-great-wave",
                                              "detail": "preview", "preserve_color": True})
    done = wait(client, job["id"])
    assert done["status"] == "done", done
    image = client.get(f"/api/jobs/{job['id']}/files/{done['result']['image']}")
    assert image.headers["content-type"] == "image/png"
    work = client.get("/api/works", params={"medium": "style"}).json()[0]
    assert work["pipeline"] == "style.transfer" and work["remix"]["settings"]["detail"] == "preview"


def test_instant_detail_paints_with_the_builtin_decoder_and_remixes(shared):
    client, home, _ = shared
    photo = upload(client, "image", noise_png(5, 48)).json()["id"]
    mask = Image.new("L", (48, 48), 0)
    mask.paste(255, (0, 0, 24, 48))  # the left half only
    buffer = io.BytesIO()
    mask.save(buffer, "PNG")
    mask_id = upload(client, "image", buffer.getvalue(), "mask.png").json()["id"]
    job = submit(client, "/api/style/image", {"content": photo, "mask": mask_id, "size": 64,
                                              "style": "builtin:hokusai-great-wave",
                                              "detail": "instant", "style_strength": 4})
    done = wait(client, job["id"])
    assert done["status"] == "done", done
    made = np.asarray(Image.open(io.BytesIO(client.get(
        f"/api/jobs/{job['id']}/files/{done['result']['image']}").content)), dtype=float)
    original = np.asarray(Image.open(io.BytesIO(noise_png(5, 48))).convert("RGB"), dtype=float)
    assert np.abs(made[:, 24:] - original[:, 24:]).max() <= 1  # unmasked: the photo
    assert np.abs(made[:, :24] - original[:, :24]).mean() > 10  # masked: painted
    work = client.get("/api/works", params={"medium": "style"}).json()[0]
    assert work["pipeline"] == "style.stylize"
    assert work["params"]["builtin_model"] == "builtin:adain" and work["params"]["alpha"] == 0.8
    assert work["remix"]["settings"] == {"style_strength": 4.0, "size": 64, "detail": "instant",
                                         "painting": "hokusai-great-wave",
                                         "preserve_color": False}
    conn = connect(home / "catalog.db")
    assert reproduce(work["id"], conn=conn)["identical"]
    conn.close()


def test_with_nothing_trained_a_shipped_fast_style_paints_a_photo_and_a_video(shared):
    import imageio.v3 as iio

    client, home, _ = shared
    fast = client.get("/api/models", params={"medium": "style"}).json()[0]
    assert fast["name"] == "builtin:starry-night"  # the first of the six shipped fast styles
    photo = upload(client, "image", noise_png(6, 48)).json()["id"]
    done = wait(client, submit(client, "/api/style/image", {"content": photo, "size": 64,
                                                            "model": fast["id"]})["id"])
    assert done["status"] == "done", done
    made = Image.open(io.BytesIO(client.get(
        f"/api/jobs/{done['id']}/files/{done['result']['image']}").content))
    assert made.size == (48, 48)  # the photo's own size, under the 64 asked for
    work = client.get("/api/works", params={"medium": "style"}).json()[0]
    assert work["pipeline"] == "style.stylize" and work["params"]["styles"] == []
    assert work["params"]["builtin_model"] == "builtin:starry-night"  # any install has it
    assert work["remix"] == {"tab": "style", "model": fast["id"], "settings": {
        "size": 64, "preserve_color": False, "fast": True}}
    conn = connect(home / "catalog.db")
    assert reproduce(work["id"], conn=conn)["identical"]
    conn.close()
    frames = [iio.imread(noise_png(seed, 48)) for seed in range(2)]
    clip = iio.imwrite("<bytes>", frames, extension=".mp4", fps=4, macro_block_size=1)
    video = upload(client, "video", clip, "clip.mp4").json()["id"]
    done = wait(client, submit(client, "/api/style/video", {"video": video, "size": 64,
                                                            "model": fast["id"]})["id"])
    assert done["status"] == "done" and done["result"]["frames"] == 2, done
    film = client.get("/api/works", params={"medium": "video"}).json()[0]
    assert film["params"]["model"] == "builtin:starry-night"


def test_a_video_is_stylised_frame_by_frame(shared):
    import imageio.v3 as iio

    client, _, _ = shared
    frames = [iio.imread(noise_png(seed, 48)) for seed in range(2)]
    clip = iio.imwrite("<bytes>", frames, extension=".mp4", fps=4, macro_block_size=1)
    video = upload(client, "video", clip, "clip.mp4").json()["id"]
    for detail in ("preview", "instant"):
        job = submit(client, "/api/style/video", {"video": video, "size": 64, "detail": detail,
                                                  "style": "builtin:van-gogh-starry-night"})
        done = wait(client, job["id"])
        assert done["status"] == "done", done
        assert (done["result"]["video"], done["result"]["frames"]) == ("styled.mp4", 2)
        assert done["message"] == "finished"


def test_line_art_is_painted_and_melodies_are_blended_and_accompanied(shared):
    client, _, models = shared
    photo = upload(client, "image", noise_png(4, 64)).json()["id"]
    lines = wait(client, submit(client, "/api/sketch/lines", {"photo": photo})["id"])
    assert lines["status"] == "done" and lines["result"] == {"image": "lines.png"}
    drawn = client.get(f"/api/jobs/{lines['id']}/files/lines.png").content
    sketch = upload(client, "image", drawn, "lines.png").json()["id"]
    painted = wait(client, submit(client, "/api/sketch/paint", {"model": models["sketch"],
                                                                "sketch": sketch})["id"])
    assert painted["status"] == "done" and painted["result"] == {"image": "painting.png"}
    listed = client.get("/api/models", params={"medium": "sketch"}).json()
    # The shipped model first; the studio offers the colour brush for both.
    assert [(m["name"], m["hints"]) for m in listed] == [("builtin:sketch-painting", True),
                                                        ("ink", True)]
    size = Image.open(io.BytesIO(drawn)).size
    dabs = Image.new("RGBA", size)
    dabs.paste((200, 40, 40, 255), (4, 4, 20, 20))
    buffer = io.BytesIO()
    dabs.save(buffer, "PNG")
    hints = upload(client, "image", buffer.getvalue(), "hints.png").json()["id"]
    coloured = wait(client, submit(client, "/api/sketch/paint", {
        "model": models["sketch"], "sketch": sketch, "hints": hints})["id"])
    assert coloured["status"] == "done", coloured.get("error")
    with_hints = client.get(f"/api/jobs/{coloured['id']}/files/painting.png").content
    without = client.get(f"/api/jobs/{painted['id']}/files/painting.png").content
    assert with_hints != without
    notes = [{"pitch": p, "start": i, "length": 1} for i, p in enumerate([60, 62, 64, 65] * 2)]
    theme = upload(client, "midi", midi_bytes(bars=2), "theme.mid").json()["id"]
    blend = wait(client, submit(client, "/api/music/blend", {
        "model": models["melody"], "a": {"notes": notes}, "b": {"upload": theme},
        "steps": 3})["id"])
    assert blend["status"] == "done", blend.get("error")
    band = wait(client, submit(client, "/api/music/accompany", {
        "model": models["band"], "melody": {"notes": notes}, "harmony": "key"})["id"])
    assert band["status"] == "done", band
    assert band["result"] == {"midi": "band.mid", "wav": "band.wav", "png": "band.png"}
    works = client.get("/api/works").json()
    accompanied = next(w for w in works if w["pipeline"] == "music.band.accompany")
    assert accompanied["params"]["harmony"] == "key"
    assert accompanied["params"]["key"] == "F major"  # C D E F, ending on F
    pipelines = {w["pipeline"] for w in works}
    assert {"pix2pix.translate", "music.vae.interpolate", "music.band.accompany"} <= pipelines
    assert "image.sketch" not in pipelines  # line art is a step, not a work


def test_a_canvas_stroke_becomes_a_painting_by_the_shipped_model(shared):
    client, home, _ = shared
    shipped = client.get("/api/models", params={"medium": "sketch"}).json()[0]
    assert shipped["name"] == "builtin:sketch-painting"  # offered first, so the page's default
    stroke = canvas_png()
    drawing = upload(client, "image", stroke, "sketch.png").json()["id"]
    made = []
    for _ in range(2):
        job = wait(client, submit(client, "/api/sketch/paint", {"model": shipped["id"],
                                                                "sketch": drawing})["id"])
        assert job["status"] == "done", job
        made.append(client.get(f"/api/jobs/{job['id']}/files/painting.png").content)
    assert made[0] == made[1]  # the same sketch, the same painting
    painting = np.asarray(Image.open(io.BytesIO(made[0])))
    lines = np.asarray(Image.open(io.BytesIO(stroke)).convert("RGB"))
    assert painting.shape == lines.shape and np.abs(painting.astype(int) - lines).mean() > 10
    work = next(w for w in client.get("/api/works").json()
                if w["pipeline"] == "pix2pix.translate" and w["model_path"].endswith(
                    "models/sketch-painting"))
    assert work["params"]["builtin_model"] == "builtin:sketch-painting"  # any install has it
    conn = connect(home / "catalog.db")
    assert reproduce(work["id"], conn=conn)["identical"]
    conn.close()


def run_dir(home: Path, job_id: int) -> Path:
    return home / "studio" / "jobs" / str(job_id) / "run"


def test_training_survives_a_killed_worker_and_resumes_from_its_checkpoint(shared):
    client, home, _ = shared
    pictures = zip_bytes({f"ink/{i}.png": noise_png(i, 16) for i in range(8)})
    data = upload(client, "zip", pictures, "ink.zip").json()
    assert data["images"] == 8
    job = submit(client, "/api/training", {"medium": "gan", "data": data["id"], "size": "test",
                                           "steps": 100_000, "save_every": 3, "name": "Ink"})
    run = run_dir(home, job["id"])
    wait(client, job["id"], check=lambda j: latest_checkpoint(run) is not None)
    os.kill(client.app.state.studio.pool.pids()["train"], signal.SIGKILL)
    interrupted = wait(client, job["id"])
    assert interrupted["status"] == "interrupted" and interrupted["resumable"]
    saved = int(latest_checkpoint(run).name.removeprefix("step-"))
    resumed = submit_resume(client, job["id"])
    assert resumed["status"] == "queued" and resumed["resume"]
    wait(client, job["id"], check=lambda j: j["status"] == "running"
         and max(_logged(client, job["id"]), default=0) > saved + 3)
    client.post(f"/api/jobs/{job['id']}/cancel")
    stopped = wait(client, job["id"])
    assert stopped["status"] == "cancelled", stopped
    assert stopped["result"]["stopped_by"] == "signal" and stopped["result"]["step"] > saved
    steps = _logged(client, job["id"])
    assert steps == sorted(set(steps)), "the resumed run logs each step once"
    assert latest_checkpoint(run).name == f"step-{stopped['result']['step']:08d}"
    names = [m["name"] for m in client.get("/api/models", params={"medium": "gan"}).json()]
    assert "Ink" in names


def submit_resume(client, job_id: int) -> dict:
    answer = client.post(f"/api/jobs/{job_id}/resume")
    assert answer.status_code == 200, answer.text
    return answer.json()


def _logged(client, job_id: int) -> list[int]:
    return [r["step"] for r in client.get(f"/api/jobs/{job_id}/metrics").json() if "loss" in r]


def test_a_restarted_studio_marks_what_was_running_interrupted(tmp_path):
    conn = connect(tmp_path / "catalog.db")
    job_id = jobs.create_job(conn, "train", "train", {"request": {}})
    jobs.claim_next(conn, "train", worker_pid=99999)
    conn.close()
    app = create_app(StudioSettings(home=tmp_path), start_workers=True)
    assert app.state.studio.pool.start() == [job_id]
    try:
        conn = connect(tmp_path / "catalog.db")
        job = jobs.get_job(conn, job_id)
        conn.close()
        assert job["status"] == "interrupted" and job["worker_pid"] is None
    finally:
        app.state.studio.pool.stop()
