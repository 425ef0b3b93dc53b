"""Out-of-range input gets a 4xx with the documented {"error": ...} body, never a 500: ids
beyond SQLite's integers, NaN and infinite numbers."""

import pytest

from tests.studio.conftest import PAGE

TOO_BIG = 2**63


@pytest.mark.parametrize("method,path", [
    ("GET", f"/api/jobs/{TOO_BIG}"), ("GET", f"/api/jobs/{TOO_BIG}/events"),
    ("POST", f"/api/jobs/{TOO_BIG}/cancel"), ("GET", f"/api/jobs/{TOO_BIG}/files/a.png"),
    ("GET", f"/api/works/{TOO_BIG}"), ("GET", f"/api/works/{TOO_BIG}/file"),
    ("DELETE", f"/api/works/{TOO_BIG}"), ("GET", "/api/jobs/-1")])
def test_ids_beyond_sqlite_are_422(client, method, path):
    answer = client.request(method, path, headers=PAGE)
    assert answer.status_code == 422, answer.text
    assert "job_id" in answer.json()["error"] or "work_id" in answer.json()["error"]


@pytest.mark.parametrize("route", ["/api/text/suggest", "/api/music/continue",
                                   "/api/image/grid", "/api/text/save"])
def test_a_model_id_beyond_sqlite_is_422(client, route):
    body = {"model": TOO_BIG, "text": "x", "prompt": "x"}
    if route != "/api/text/save":
        body.pop("text")
    answer = client.post(route, json=body, headers=PAGE)
    assert answer.status_code == 422, answer.text
    assert "model" in answer.json()["error"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_422_with_the_error_said(client, models, number):
    body = f'{{"model": {models["text"]}, "prompt": "床", "temperature": {number}}}'
    answer = client.post("/api/text/suggest", content=body,
                         headers={**PAGE, "Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert "temperature" in answer.json()["error"]


def _chunks(total: int, size: int = 64 * 1024):
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_a_chunked_upload_past_the_limit_is_413_and_not_spooled(client, home):
    # No Content-Length: the body is counted as it arrives (the client fixture takes 1 MB).
    boundary = "b0undary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nimage\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n").encode()

    def body():
        yield head
        yield from _chunks(8 * 2**20)

    answer = client.post("/api/uploads", content=body(), headers={
        **PAGE, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert answer.status_code == 413 and "upload limit of 1 MB" in answer.json()["error"]
    assert not list((home / "studio" / "uploads").glob("*"))


def test_a_json_body_past_4_mb_is_413_whether_declared_or_chunked(client, models):
    big = b'{"model": 1, "prompt": "' + b"x" * (5 * 2**20) + b'"}'
    declared = client.post("/api/text/suggest", content=big,
                           headers={**PAGE, "Content-Type": "application/json"})
    assert declared.status_code == 413 and "larger than 4 MB" in declared.json()["error"]
    chunked = client.post("/api/text/suggest", content=iter([big[i:i + 65536] for i in range(
        0, len(big), 65536)]), headers={**PAGE, "Content-Type": "application/json"})
    assert chunked.status_code == 413 and "larger than 4 MB" in chunked.json()["error"]


def test_a_saved_texts_step_settings_are_bounded(client):
    step = {"settings": {"prompt": "x" * 9000}, "seed": 1, "proposed": "y"}
    answer = client.post("/api/text/save", json={"text": "床前", "steps": [step]}, headers=PAGE)
    assert answer.status_code == 422 and "at most 8192 bytes" in answer.json()["error"]
