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
