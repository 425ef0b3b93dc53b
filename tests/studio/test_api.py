"""Every studio endpoint through FastAPI's TestClient, without worker processes: requests are
checked and queued (or refused with one clear JSON error), nothing runs."""

import io
import re

import pytest
from PIL import Image

from artforge.catalog import jobs
from artforge.catalog.db import connect
from artforge.studio import features
from tests.media.test_media import FAST_STYLES
from tests.studio.conftest import canvas_png, midi_bytes, more_tiny_models, png_bytes, upload


def test_status_says_which_features_there_are(client):
    status = client.get("/api/status").json()
    assert status["features"]["text"] == {"label": "Poems and prose", "available": True,
                                          "reason": ""}
    assert status["limits"]["max_upload_mb"] == 1
    assert "builtin:bach" in status["builtin_data"]["music"]


def test_models_are_listed_by_medium(client, models):
    listed = client.get("/api/models", params={"medium": "music"}).json()
    assert [(m["kind"], m["name"]) for m in listed] == [
        ("lstm", "builtin:bach"), ("lstm", "builtin:folk"), ("lstm", "tune")]
    assert listed[2]["id"] == models["music"]
    everything = client.get("/api/models").json()
    # The models artforge ships first (the Tang and English verse GPTs, the chorale and folk
    # LSTMs, the two melody VAEs, the folk band, the two GANs, the sketch-to-painting model,
    # the six fast styles), then the three trained here, newest first.
    assert [m["name"] for m in everything] == [
        "builtin:tang", "builtin:english-verse", "builtin:bach", "builtin:folk",
        "builtin:bach-melody", "builtin:bach-melody-16", "builtin:folk-band",
        "builtin:abstract-gan", "builtin:paintings-gan", "builtin:sketch-painting",
        *FAST_STYLES, "faces", "tune", "verse"]
    text = client.get("/api/models", params={"medium": "text"}).json()
    assert [m["name"] for m in text] == ["builtin:tang", "builtin:english-verse", "verse"]
    style = client.get("/api/models", params={"medium": "style"}).json()
    assert [(m["kind"], m["name"]) for m in style] == [("johnson", name) for name in FAST_STYLES]
    gan = client.get("/api/models", params={"medium": "gan"}).json()
    assert [(m["kind"], m["name"]) for m in gan] == [
        ("dcgan", "builtin:abstract-gan"), ("dcgan", "builtin:paintings-gan"), ("dcgan", "faces")]
    assert gan[2]["id"] == models["gan"]
    melody = client.get("/api/models", params={"medium": "melody"}).json()
    assert [m["id"] for m in melody] == [m["id"] for m in everything[4:6]]  # registered once
    bad = client.get("/api/models", params={"medium": "sculpture"})
    assert bad.status_code == 422 and "medium" in bad.json()["error"]


def test_a_suggestion_request_is_queued_with_checked_options(client, models):
    answer = client.post("/api/text/suggest", json={"model": models["text"], "prompt": "床前",
                                                    "form": "jueju5", "suggestions": 2})
    assert answer.status_code == 202
    job = answer.json()
    assert (job["kind"], job["lane"], job["status"], job["progress"]) == (
        "text.generate", "create", "queued", 0.0)
    assert job["request"]["suggestions"] == 2 and not job["resumable"] and not job["ended"]
    assert client.get(f"/api/jobs/{job['id']}").json()["status"] == "queued"
    assert [j["id"] for j in client.get("/api/jobs").json()] == [job["id"]]


@pytest.mark.parametrize("body, status, words", [
    ({"model": 999}, 404, "no model with id 999"),
    ({"model": "MUSIC", "prompt": "x"}, 400, "does not make text"),
    ({"model": "TEXT", "temperature": 0}, 422, "temperature"),
    ({"model": "TEXT", "form": "limerick"}, 422, "form"),
    ({"model": "TEXT", "rhyme": True}, 400, "--rhyme needs a verse form"),
    ({"model": "TEXT", "surprise": 1}, 422, "surprise"),
])
def test_bad_suggestion_requests_get_one_clear_error(client, models, body, status, words):
    body = {k: models[v.lower()] if v in ("TEXT", "MUSIC") else v for k, v in body.items()}
    answer = client.post("/api/text/suggest", json=body)
    assert answer.status_code == status
    assert words in answer.json()["error"]
    assert client.get("/api/jobs").json() == []


def test_a_feature_that_is_unavailable_refuses_its_jobs(client, models, monkeypatch):
    state = {**features.availability(), "gan": {"label": "GAN pictures", "available": False,
                                                "reason": "GAN pictures: not here."}}
    monkeypatch.setattr(features, "availability", lambda: state)
    answer = client.post("/api/image/grid", json={"model": models["gan"]})
    assert answer.status_code == 409 and answer.json() == {"error": "GAN pictures: not here."}


def test_music_requests_check_primer_and_key(client, models):
    primer = upload(client, "midi", midi_bytes(), "theme.mid").json()["id"]
    notes = [{"pitch": 60, "start": 0, "length": 1}]
    both = client.post("/api/music/continue", json={"model": models["music"], "primer": primer,
                                                    "notes": notes})
    assert both.status_code == 400 and "not both" in both.json()["error"]
    key = client.post("/api/music/continue", json={"model": models["music"], "key": "H major"})
    assert key.status_code == 400 and "is not a key" in key.json()["error"]
    good = client.post("/api/music/continue", json={"model": models["music"], "primer": primer,
                                                    "key": "G major", "density": "sparse"})
    assert good.status_code == 202


def test_picture_requests_check_the_picked_samples(client, models):
    outside = client.post("/api/image/vary", json={"model": models["gan"], "count": 9,
                                                   "index": 9})
    assert outside.status_code == 400 and "numbered 0 to 8" in outside.json()["error"]
    assert client.post("/api/image/blend", json={"model": models["gan"], "count": 9, "a": 0,
                                                 "b": 8}).status_code == 202


def test_style_requests_need_real_uploads_and_paintings(client):
    photo = upload(client, "image", png_bytes()).json()["id"]
    unknown = client.post("/api/style/image", json={"content": photo, "style": "builtin:nope"})
    assert unknown.status_code == 400 and "no built-in painting" in unknown.json()["error"]
    missing = client.post("/api/style/image", json={"content": "0" * 32,
                                                    "style": "builtin:hokusai-great-wave"})
    assert missing.status_code == 404
    painting = client.get("/api/paintings").json()[0]
    ok = client.post("/api/style/image", json={"content": photo, "style": f"builtin:{painting}"})
    assert ok.status_code == 202 and ok.json()["kind"] == "style.image"


def test_a_style_request_takes_a_style_or_a_fast_style_model_one_of_them(client, models):
    photo = upload(client, "image", png_bytes()).json()["id"]
    fast = client.get("/api/models", params={"medium": "style"}).json()[0]
    assert fast["name"] == "builtin:starry-night"  # shipped: usable with nothing trained
    ok = client.post("/api/style/image", json={"content": photo, "model": fast["id"]})
    assert ok.status_code == 202 and ok.json()["request"]["model"] == fast["id"]
    with connect() as conn:
        params = jobs.get_job(conn, ok.json()["id"])["params"]
    assert params["model"].endswith("models/starry-night") and params["style"] is None
    both = client.post("/api/style/image", json={"content": photo, "model": fast["id"],
                                                  "style": "builtin:hokusai-great-wave"})
    neither = client.post("/api/style/image", json={"content": photo})
    for answer in (both, neither):
        assert answer.status_code == 422 and "or a fast style model" in answer.json()["error"]
    gan = client.post("/api/style/image", json={"content": photo, "model": models["gan"]})
    assert gan.status_code == 400 and "does not make style" in gan.json()["error"]


def test_training_requests_take_builtin_sets_or_fitting_uploads(client):
    wrong = client.post("/api/training", json={"medium": "music", "data": "builtin:abstract"})
    assert wrong.status_code == 400 and "builtin:bach" in wrong.json()["error"]
    picture = upload(client, "image", png_bytes()).json()["id"]
    kind = client.post("/api/training", json={"medium": "gan", "data": picture})
    assert kind.status_code == 400 and "this needs zip" in kind.json()["error"]
    job = client.post("/api/training", json={"medium": "gan", "data": "builtin:digits",
                                             "name": "Digits", "steps": 10}).json()
    assert (job["lane"], job["request"]["name"]) == ("train", "Digits")
    assert client.get("/api/jobs", params={"lane": "train"}).json()[0]["id"] == job["id"]


def test_cancel_and_resume_follow_the_job_states(client, models):
    job = client.post("/api/image/grid", json={"model": models["gan"]}).json()
    cancelled = client.post(f"/api/jobs/{job['id']}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["resumable"]
    again = client.post(f"/api/jobs/{job['id']}/cancel")
    assert again.status_code == 409 and "already ended" in again.json()["error"]
    resumed = client.post(f"/api/jobs/{job['id']}/resume").json()
    assert (resumed["status"], resumed["resume"]) == ("queued", True)
    assert client.post(f"/api/jobs/{job['id']}/resume").status_code == 409
    assert client.post("/api/jobs/404/cancel").status_code == 404
    assert client.get("/api/jobs/404").status_code == 404


def test_events_stream_the_job_until_it_ends(client, home, models):
    job = client.post("/api/image/grid", json={"model": models["gan"]}).json()
    conn = connect(home / "catalog.db")
    jobs.claim_next(conn, "create", 1)
    jobs.finish_job(conn, job["id"], "failed", error="the model folder is damaged.")
    conn.close()
    with client.stream("GET", f"/api/jobs/{job['id']}/events") as events:
        assert events.headers["content-type"].startswith("text/event-stream")
        text = "".join(events.iter_text())
    assert text.count("event: job") == 1 and 'event: end\ndata: {"status": "failed"}' in text
    assert "the model folder is damaged." in text
    assert client.get("/api/jobs/77/events").status_code == 404


def test_metrics_and_samples_of_a_training_job(client, home):
    job = client.post("/api/training", json={"medium": "gan", "data": "builtin:digits"}).json()
    run = home / "studio" / "jobs" / str(job["id"]) / "run"
    (run / "samples").mkdir(parents=True)
    (run / "metrics.jsonl").write_text('{"step": 1, "loss": 2.0}\n{"step": 2, "loss": 1.5}\n')
    (run / "samples" / "step-00000002.png").write_bytes(png_bytes())
    assert client.get(f"/api/jobs/{job['id']}/metrics", params={"after": 1}).json() == [
        {"step": 2, "loss": 1.5}]
    assert client.get(f"/api/jobs/{job['id']}/samples").json() == ["step-00000002.png"]
    sample = client.get(f"/api/jobs/{job['id']}/samples/step-00000002.png")
    assert sample.headers["content-type"] == "image/png" and sample.content == png_bytes()
    assert client.get(f"/api/jobs/{job['id']}/samples/metrics.jsonl").status_code == 400


def test_paintings_are_served_by_name_only(client):
    names = client.get("/api/paintings").json()
    assert len(names) == 19
    first = client.get(f"/api/paintings/{names[0]}")
    assert first.status_code == 200 and first.headers["content-type"] == "image/jpeg"
    assert client.get("/api/paintings/..%2f..%2fcatalog").status_code == 404


def test_the_page_and_the_api_documentation_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "artforge studio" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/js/main.js").headers["content-type"].startswith("text/javascript")
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/text/suggest", "/api/music/continue", "/api/image/grid", "/api/style/image",
            "/api/training", "/api/jobs/{job_id}/events", "/api/works/{work_id}"} <= set(paths)
    assert "openapi.json" in client.get("/api-docs").text


def test_melody_requests_take_one_source_per_melody(client, models):
    both = client.post("/api/music/blend", json={
        "model": models["music"], "a": {"upload": "0" * 32, "notes": [
            {"pitch": 60, "start": 0, "length": 1}]}, "b": {}})
    assert both.status_code == 422
    assert "a: Value error, give a melody as an upload or as played notes" in both.json()["error"]
    notes = {"notes": [{"pitch": 60, "start": 0, "length": 1}]}
    wrong = client.post("/api/music/accompany", json={"model": models["music"], "melody": notes})
    assert wrong.status_code == 400 and "does not make band" in wrong.json()["error"]
    shipped = client.get("/api/models", params={"medium": "melody"}).json()[1]["id"]
    queued = client.post("/api/music/blend", json={"model": shipped, "a": notes, "b": notes})
    assert queued.status_code == 202, queued.json()
    with connect() as conn:
        assert jobs.get_job(conn, queued.json()["id"])["params"]["model"].endswith(
            "models/bach-melody-16")


def test_sketch_requests_need_a_pix2pix_model_and_pictures(client, models, home):
    drawing = upload(client, "image", png_bytes((64, 64), (255, 255, 255))).json()["id"]
    wrong = client.post("/api/sketch/paint", json={"model": models["gan"], "sketch": drawing})
    assert wrong.status_code == 400 and "does not make sketch" in wrong.json()["error"]
    ink = more_tiny_models(home)["sketch"]
    blank = client.post("/api/sketch/paint", json={"model": ink, "sketch": drawing})
    assert blank.status_code == 400 and "is blank: a sketch needs dark lines" in \
        blank.json()["error"]
    tune = upload(client, "midi", midi_bytes()).json()["id"]
    lines = client.post("/api/sketch/lines", json={"photo": tune})
    assert lines.status_code == 400 and "this needs image" in lines.json()["error"]


def test_with_nothing_trained_a_canvas_goes_to_the_shipped_sketch_model(client):
    [shipped] = client.get("/api/models", params={"medium": "sketch"}).json()
    assert (shipped["name"], shipped["kind"], shipped["hints"]) == (
        "builtin:sketch-painting", "pix2pix", True)
    for ground in ((255, 255, 255, 255), (0, 0, 0, 0)):  # the page's white, or none at all
        drawing = upload(client, "image", canvas_png(ground=ground)).json()["id"]
        queued = client.post("/api/sketch/paint", json={"model": shipped["id"],
                                                        "sketch": drawing})
        assert queued.status_code == 202, queued.json()
        with connect() as conn:
            params = jobs.get_job(conn, queued.json()["id"])["params"]
        assert params["model"].endswith("models/sketch-painting")


def white_1bit_png(size: tuple[int, int]) -> bytes:
    """A white picture in one bit per pixel: 50 megapixels in a few kilobytes."""
    buffer = io.BytesIO()
    Image.new("1", size, 1).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("canvas, status, error", [
    (lambda: canvas_png(stroke=False), 400, "is blank: a sketch needs dark lines on a light "
                                            "ground."),
    (lambda: canvas_png(ground=(0, 0, 0, 0), stroke=False), 400, "is blank: a sketch needs"),
    (lambda: canvas_png(ground=(0, 0, 0, 255), stroke=False), 400, "is all dark: a sketch"),
    (lambda: canvas_png((10_000, 20)), 400, "is 10000x20 pixels; a sketch needs 16 to 8192"),
    (lambda: white_1bit_png((10_000, 5_000)), 413, "the picture is 10000×5000; the studio "
                                                   "takes at most 40 megapixels."),
], ids=["white", "transparent", "black", "10000-wide", "50-megapixels"])
def test_a_bad_canvas_is_one_sentence_and_nothing_is_queued(client, canvas, status, error):
    [shipped] = client.get("/api/models", params={"medium": "sketch"}).json()
    sent = upload(client, "image", canvas())
    if sent.status_code == 201:
        sent = client.post("/api/sketch/paint", json={"model": shipped["id"],
                                                      "sketch": sent.json()["id"]})
    assert sent.status_code == status
    message = sent.json()["error"]
    assert error in message and ". " not in message and message.endswith(".")
    assert client.get("/api/jobs").json() == [] and client.get("/api/works").json() == []


def test_the_api_docs_need_no_network(client):
    moved = client.get("/docs", follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == "/api-docs"
    page = client.get("/api-docs")
    assert page.status_code == 200
    assert not re.search(r'(src|href)="https?://', page.text)  # nothing fetched from elsewhere
