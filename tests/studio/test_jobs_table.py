"""The catalog's jobs table (artforge.catalog.jobs): states, claims, interruptions, and the
migration that adds it to an older catalog."""

import sqlite3
from contextlib import closing

import pytest

from artforge.catalog import jobs
from artforge.catalog.db import connect
from artforge.catalog.migrations import V1_CREATE_RUNS_AND_WORKS, V2_ADD_MODELS
from artforge.errors import UserError


@pytest.fixture
def conn(tmp_path):
    opened = connect(tmp_path / "catalog.db")
    yield opened
    opened.close()


def test_a_version_2_catalog_gains_the_jobs_table_and_keeps_its_works(tmp_path):
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as raw:
        for statement in V1_CREATE_RUNS_AND_WORKS + V2_ADD_MODELS:
            raw.execute(statement)
        raw.execute("INSERT INTO works (medium, pipeline, path, file_sha256, created) "
                    "VALUES ('text', 'text.generate', '/w/poem.txt', 'ab', '2024-01-01')")
        raw.execute("PRAGMA user_version = 2")
        raw.commit()
    upgraded = connect(path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == 3
    assert upgraded.execute("SELECT path FROM works").fetchall()[0][0] == "/w/poem.txt"
    assert jobs.list_jobs(upgraded) == []
    upgraded.close()


def test_jobs_are_claimed_oldest_first_once_per_lane(conn):
    first = jobs.create_job(conn, "text.generate", "create", {"prompt": "a"})
    training = jobs.create_job(conn, "train", "train", {})
    second = jobs.create_job(conn, "gan.sample", "create", {})
    claimed = jobs.claim_next(conn, "create", worker_pid=11)
    assert (claimed["id"], claimed["status"], claimed["worker_pid"], claimed["attempts"]) == (
        first, "running", 11, 1)
    assert claimed["params"] == {"prompt": "a"}
    assert jobs.claim_next(conn, "create", 12)["id"] == second
    assert jobs.claim_next(conn, "create", 12) is None
    assert jobs.count_waiting(conn, "train") == 1 and jobs.get_job(conn, training)["status"] == (
        "queued")


def test_progress_and_results_are_kept_and_versioned(conn):
    job_id = jobs.create_job(conn, "text.generate", "create", {})
    jobs.claim_next(conn, "create", 1)
    before = jobs.job_version(conn, job_id)
    jobs.update_progress(conn, job_id, 0.5, "half", {"suggestions": ["月"]})
    jobs.update_progress(conn, job_id, None, None, None)
    job = jobs.get_job(conn, job_id)
    assert (job["progress"], job["message"], job["partial"]) == (0.5, "half", {"suggestions":
                                                                               ["月"]})
    assert job["version"] == before + 2
    jobs.finish_job(conn, job_id, "done", {"image": "grid.png"}, message="finished")
    done = jobs.get_job(conn, job_id)
    assert (done["status"], done["progress"], done["result"], done["worker_pid"]) == (
        "done", 1.0, {"image": "grid.png"}, None)
    with pytest.raises(ValueError, match="cannot finish as 'running'"):
        jobs.finish_job(conn, job_id, "running")


def test_cancel_and_requeue_follow_the_states(conn):
    queued = jobs.create_job(conn, "gan.sample", "create", {})
    running = jobs.create_job(conn, "train", "train", {})
    jobs.claim_next(conn, "train", 5)
    assert jobs.request_cancel(conn, queued)["status"] == "cancelled"
    flagged = jobs.request_cancel(conn, running)
    assert flagged["status"] == "running" and flagged["cancel_requested"]
    with pytest.raises(UserError, match="only a job that was interrupted"):
        jobs.requeue(conn, running)
    again = jobs.requeue(conn, queued)
    assert (again["status"], again["resume"], again["cancel_requested"]) == ("queued", True,
                                                                              False)
    with pytest.raises(UserError, match="no job with id 99"):
        jobs.get_job(conn, 99)


def test_a_dead_workers_jobs_are_interrupted_and_no_others(conn):
    mine = jobs.create_job(conn, "train", "train", {})
    theirs = jobs.create_job(conn, "gan.sample", "create", {})
    jobs.claim_next(conn, "train", 100)
    jobs.claim_next(conn, "create", 200)
    assert jobs.interrupt_running(conn, worker_pid=100) == [mine]
    assert jobs.get_job(conn, theirs)["status"] == "running"
    assert jobs.interrupt_running(conn) == [theirs]
    assert {jobs.get_job(conn, i)["status"] for i in (mine, theirs)} == {"interrupted"}
