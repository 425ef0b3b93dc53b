"""Every route of the studio's OpenAPI schema, fed hostile paths, queries and JSON bodies
(ids past SQLite's integers, NaN and infinities, climbing and over-long names, stray types):
the answer is a 4xx or a success with JSON, never a 5xx, and the server raises nothing."""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artforge.studio.app import create_app
from artforge.studio.settings import StudioSettings
from tests.studio.conftest import studio_client

INTS = st.sampled_from([0, 1, -1, 7, 2**31, 2**63 - 1, 2**63, -2**63 - 1, 10**30])
FLOATS = st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e308, -0.0, 0.5, 1e-320])
TEXTS = st.one_of(st.sampled_from(["", "..", "../../etc/passwd", "天地玄黄", "\x00", "a" * 300,
                                   "%FF%FE", "NaN", "builtin:x", "-1", "C:/x", "a/b.png"]),
                  st.text(max_size=20))
LEAVES = st.one_of(st.none(), st.booleans(), INTS, FLOATS, TEXTS)
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXTS, inner, max_size=3)), max_leaves=8)


def _routes() -> list[tuple[str, str, list[str], list[str], list[str]]]:
    """(method, path, path parameters, query parameters, body fields) of every JSON route."""
    schema = create_app(StudioSettings(home="/nonexistent"), start_workers=False).openapi()
    routes = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if path == "/api/uploads":  # multipart: test_uploads and test_limits probe it
                continue
            params = operation.get("parameters", [])
            body = operation.get("requestBody", {}).get("content", {}).get(
                "application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            fields = list(schema["components"]["schemas"].get(ref, {}).get("properties", {}))
            routes.append((method.upper(), path,
                           [p["name"] for p in params if p["in"] == "path"],
                           [p["name"] for p in params if p["in"] == "query"], fields))
    return routes


ROUTES = _routes()


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    home = tmp_path_factory.mktemp("fuzz-home")
    with studio_client(home, workers=False, max_upload_mb=1, max_unpacked_mb=2) as client:
        yield client


def test_the_schema_has_the_routes_we_fuzz():
    assert len(ROUTES) >= 25
    assert ("GET", "/api/jobs/{job_id}", ["job_id"], [], []) in ROUTES


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p}" for m, p, *_ in ROUTES])
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_input_is_a_server_error(fuzzed, route, data):
    method, path, path_params, query_params, fields = route
    url = path
    for name in path_params:
        value = data.draw(st.one_of(INTS, TEXTS), label=name)
        url = url.replace("{" + name + "}", quote(str(value), safe="") or "_")
    query = {name: str(data.draw(LEAVES, label=name)) for name in query_params
             if data.draw(st.booleans())}
    kwargs = {}
    if method in ("POST", "PUT", "PATCH"):
        if fields and data.draw(st.booleans(), label="shaped body"):
            body = {name: data.draw(VALUES, label=name) for name in fields
                    if data.draw(st.booleans())}
        else:
            body = data.draw(VALUES, label="body")
        kwargs = {"content": json.dumps(body),  # NaN and Infinity as Python writes them
                  "headers": {"Content-Type": "application/json"}}
    answer = fuzzed.request(method, url, params=query, **kwargs)
    assert answer.status_code < 500, (method, url, answer.status_code, answer.text[:300])
    if answer.status_code >= 400:
        assert "error" in answer.json(), answer.text[:300]
