"""A bounded load on loopback: 200 requests at once (half of them new jobs) to a real server;
none fails, and every job that was accepted runs to the end."""

import asyncio
import time

import httpx
import pytest

from tests.studio.conftest import PAGE, tiny_models
from tests.studio.live import LiveStudio

JOBS, READS = 100, 100
GIVE_UP_S = 300.0


@pytest.fixture
def running(tmp_path):
    models = tiny_models(tmp_path)
    with LiveStudio(tmp_path) as studio:
        yield studio, models


async def burst(url: str, text_model: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=JOBS + READS)
    async with httpx.AsyncClient(base_url=url, headers=PAGE, timeout=120, limits=limits) as c:
        jobs = [c.post("/api/text/suggest", json={"model": text_model, "prompt": "床",
                                                  "suggestions": 1, "length": 3, "seed": i})
                for i in range(JOBS)]
        reads = [c.get("/api/works" if i % 2 else "/api/jobs") for i in range(READS)]
        return await asyncio.gather(*jobs, *reads)


def test_two_hundred_requests_at_once_lose_nothing(running):
    studio, models = running
    answers = asyncio.run(burst(studio.url, models["text"]))
    assert [a.status_code for a in answers] == [202] * JOBS + [200] * READS
    submitted = {a.json()["id"] for a in answers[:JOBS]}
    assert len(submitted) == JOBS
    deadline = time.monotonic() + GIVE_UP_S
    with httpx.Client(base_url=studio.url, headers=PAGE) as client:
        while True:
            listed = client.get("/api/jobs", params={"limit": 500}).json()
            statuses = {job["id"]: job["status"] for job in listed}
            if all(statuses.get(i) in ("done", "failed") for i in submitted):
                break
            assert time.monotonic() < deadline, f"jobs still waiting: {statuses}"
            time.sleep(0.2)
    assert set(statuses) == submitted and set(statuses.values()) == {"done"}
