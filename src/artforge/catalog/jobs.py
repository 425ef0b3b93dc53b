"""Studio jobs: long work (generation, style transfer, training) queued in the catalog and run
by the studio's worker processes.

A job moves queued → running → done | failed | cancelled. A job that was running when its
worker or the server went away becomes "interrupted"; `requeue` puts an interrupted, cancelled
or failed job back in the queue with `resume` set, so training continues from its checkpoint.
Every change bumps `version`, which is what the page's progress stream watches.
"""

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from artforge.catalog.records import to_json
from artforge.errors import UserError

STATUSES = ("queued", "running", "done", "failed", "cancelled", "interrupted")
ENDED = ("done", "failed", "cancelled", "interrupted")
RESUMABLE = ("failed", "cancelled", "interrupted")
JSON_FIELDS = ("params", "partial", "result")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    job = dict(row)
    for field in JSON_FIELDS:
        if job[field] is not None:
            job[field] = json.loads(job[field])
    job["resume"] = bool(job["resume"])
    job["cancel_requested"] = bool(job["cancel_requested"])
    return job


def create_job(conn: sqlite3.Connection, kind: str, lane: str, params: dict[str, Any]) -> int:
    cursor = conn.execute(
        "INSERT INTO jobs (kind, lane, params, created) VALUES (?, ?, ?, ?)",
        (kind, lane, to_json(params), _now()))
    return cursor.lastrowid


def get_job(conn: sqlite3.Connection, job_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
    if row is None:
        raise UserError(f"there is no job with id {job_id}.")
    return _decode(row)


def list_jobs(conn: sqlite3.Connection, limit: int = 50, lane: str | None = None
              ) -> list[dict[str, Any]]:
    """The newest jobs first, optionally of one lane only."""
    where, args = ("WHERE lane = ?", (lane,)) if lane else ("", ())
    rows = conn.execute(f"SELECT * FROM jobs {where} ORDER BY id DESC LIMIT ?", (*args, limit))
    return [_decode(row) for row in rows]


def count_waiting(conn: sqlite3.Connection, lane: str) -> int:
    row = conn.execute("SELECT COUNT(*) FROM jobs WHERE lane = ? AND status = 'queued'", (lane,))
    return row.fetchone()[0]


def claim_next(conn: sqlite3.Connection, lane: str, worker_pid: int) -> dict[str, Any] | None:
    """Take the oldest queued job of `lane` for this worker; None when the queue is empty.

    One UPDATE both picks and marks the job, so two workers can never take the same one.
    """
    row = conn.execute(
        "UPDATE jobs SET status = 'running', started = ?, worker_pid = ?, progress = 0, "
        "message = '', error = NULL, attempts = attempts + 1, version = version + 1 "
        "WHERE id = (SELECT id FROM jobs WHERE lane = ? AND status = 'queued' ORDER BY id "
        "LIMIT 1) AND status = 'queued' RETURNING *",
        (_now(), worker_pid, lane)).fetchone()
    return _decode(row) if row is not None else None


def update_progress(conn: sqlite3.Connection, job_id: int, progress: float | None,
                    message: str | None = None, partial: Any = None) -> None:
    """Record how far a running job is; None leaves a field as it was."""
    conn.execute(
        "UPDATE jobs SET progress = COALESCE(?, progress), message = COALESCE(?, message), "
        "partial = COALESCE(?, partial), version = version + 1 WHERE id = ?",
        (None if progress is None else min(max(progress, 0.0), 1.0), message,
         None if partial is None else to_json(partial), job_id))


def finish_job(conn: sqlite3.Connection, job_id: int, status: str,
               result: dict[str, Any] | None = None, error: str | None = None,
               message: str = "") -> None:
    if status not in ENDED:
        raise ValueError(f"a job cannot finish as {status!r}")
    conn.execute(
        "UPDATE jobs SET status = ?, result = ?, error = ?, finished = ?, worker_pid = NULL, "
        "message = ?, progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END, "
        "version = version + 1 WHERE id = ?",
        (status, to_json(result) if result is not None else None, error, _now(), message,
         status, job_id))


def request_cancel(conn: sqlite3.Connection, job_id: int) -> dict[str, Any]:
    """Cancel a queued job at once; flag a running one (its worker stops it and saves).

    Returns the job as it is now."""
    job = get_job(conn, job_id)
    if job["status"] == "queued":
        conn.execute("UPDATE jobs SET status = 'cancelled', finished = ?, version = version + 1 "
                     "WHERE id = ? AND status = 'queued'", (_now(), job_id))
    elif job["status"] == "running":
        conn.execute("UPDATE jobs SET cancel_requested = 1, message = 'stopping…', "
                     "version = version + 1 WHERE id = ?", (job_id,))
    else:
        raise UserError(f"job {job_id} has already ended ({job['status']}); nothing to cancel.")
    return get_job(conn, job_id)


def requeue(conn: sqlite3.Connection, job_id: int) -> dict[str, Any]:
    """Put an interrupted, cancelled or failed job back in the queue, to resume."""
    job = get_job(conn, job_id)
    if job["status"] not in RESUMABLE:
        raise UserError(f"job {job_id} is {job['status']}; only a job that was interrupted, "
                        "cancelled or failed can be resumed.")
    conn.execute(
        "UPDATE jobs SET status = 'queued', resume = 1, cancel_requested = 0, error = NULL, "
        "finished = NULL, message = 'waiting to resume', version = version + 1 WHERE id = ?",
        (job_id,))
    return get_job(conn, job_id)


def interrupt_running(conn: sqlite3.Connection, worker_pid: int | None = None) -> list[int]:
    """Mark running jobs interrupted: all of them (a server starting up: no worker of the last
    one survives), or those of one worker that died. Returns their ids."""
    where, args = ("AND worker_pid = ?", (worker_pid,)) if worker_pid is not None else ("", ())
    rows = conn.execute(
        "UPDATE jobs SET status = 'interrupted', finished = ?, worker_pid = NULL, "
        "message = 'interrupted: the studio stopped while this ran', version = version + 1 "
        f"WHERE status = 'running' {where} RETURNING id", (_now(), *args)).fetchall()
    return sorted(row[0] for row in rows)


def job_version(conn: sqlite3.Connection, job_id: int) -> int | None:
    row = conn.execute("SELECT version FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return row[0] if row is not None else None
