"""Who may talk to the studio: the token, the Host header, the page's header, CORS."""

import pytest

from artforge.errors import UserError
from artforge.studio.settings import StudioSettings
from tests.studio.conftest import studio_client

TOKEN = "s3cret-token"


@pytest.fixture
def guarded(home):
    with studio_client(home, workers=False, host="0.0.0.0", token=TOKEN) as running:
        yield running


def test_binding_beyond_this_machine_needs_a_token(home):
    with pytest.raises(UserError, match="needs a token"):
        StudioSettings(home=home, host="0.0.0.0")
    assert StudioSettings(home=home, host="::1").token is None


@pytest.mark.parametrize("path", ["/", "/api/status", "/api/works", "/openapi.json",
                                  "/static/js/main.js", "/api/jobs/1/events"])
def test_every_request_needs_the_token(guarded, path):
    answer = guarded.get(path)
    assert answer.status_code == 401 and "access token" in answer.json()["error"]
    wrong = guarded.get(path, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_the_token_is_taken_from_header_query_or_the_page_cookie(guarded):
    assert guarded.get("/api/status", headers={"Authorization": f"Bearer {TOKEN}"}).is_success
    assert guarded.get("/api/status", params={"token": TOKEN}).is_success
    page = guarded.get("/", params={"token": TOKEN})
    cookie = page.headers["set-cookie"]
    assert f"artforge_token={TOKEN}" in cookie and "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    assert guarded.get("/api/status").is_success  # the client keeps the cookie, as a browser


def test_a_fresh_token_link_wins_over_an_old_studios_cookie(guarded):
    guarded.cookies.set("artforge_token", "an-older-studios-token")
    assert guarded.get("/api/status").status_code == 401
    page = guarded.get("/", params={"token": TOKEN})
    assert page.is_success and f"artforge_token={TOKEN}" in page.headers["set-cookie"]


@pytest.mark.parametrize("token", ["天地", "%FF%FE", "x" * 5000])
def test_any_token_in_a_link_is_a_clean_401(guarded, token):
    for path in ("/", "/api/status"):
        answer = guarded.get(f"{path}?token={token}")
        assert answer.status_code == 401 and "access token" in answer.json()["error"]


def test_a_loopback_studio_answers_only_to_this_machine(client):
    assert client.get("/api/status", headers={"Host": "localhost:8000"}).is_success
    assert client.get("/api/status", headers={"Host": "[::1]:8000"}).is_success
    rebound = client.get("/api/status", headers={"Host": "evil.example:8000"})
    assert rebound.status_code == 403 and "evil.example" in rebound.json()["error"]


def test_changes_need_the_page_header(client, models):
    bare = client.post("/api/image/grid", json={"model": models["gan"]},
                       headers={"X-Artforge": ""})
    assert bare.status_code == 403 and "X-Artforge" in bare.json()["error"]
    assert client.delete("/api/works/1", headers={"X-Artforge": "0"}).status_code == 403
    assert client.get("/api/jobs").json() == []


def test_cors_is_off_by_default(client):
    preflight = client.options("/api/text/suggest", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-artforge, content-type"})
    assert "access-control-allow-origin" not in preflight.headers
    plain = client.get("/api/status", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in plain.headers


def test_an_allowed_origin_gets_cors_headers(home):
    origin = "http://localhost:5173"
    with studio_client(home, workers=False, allow_origins=(origin,)) as running:
        preflight = running.options("/api/text/suggest", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST"})
        assert preflight.headers["access-control-allow-origin"] == origin


def test_responses_carry_protective_headers(client):
    answer = client.get("/api/status")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
