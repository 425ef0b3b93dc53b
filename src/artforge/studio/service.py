"""What the routes share: the settings, the worker pool, catalog connections, the Style tab's
live painter, and the steps every job request takes (feature check, ids to paths, queueing)."""

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from artforge.catalog import jobs
from artforge.catalog.db import connect
from artforge.errors import UserError
from artforge.studio import features, models, uploads
from artforge.studio.live_style import LivePainter
from artforge.studio.problems import Problem
from artforge.studio.settings import StudioSettings
from artforge.studio.tasks import TASKS
from artforge.studio.workers import WorkerPool

PUBLIC_JOB_FIELDS = ("id", "kind", "lane", "status", "progress", "message", "partial", "result",
                     "error", "resume", "created", "started", "finished", "attempts")


def public_job(job: dict[str, Any]) -> dict[str, Any]:
    view = {key: job[key] for key in PUBLIC_JOB_FIELDS}
    view["request"] = job["params"].get("request")
    view["resumable"] = job["status"] in jobs.RESUMABLE
    view["ended"] = job["status"] in jobs.ENDED
    return view


class Studio:
    def __init__(self, settings: StudioSettings) -> None:
        self.settings = settings
        self.pool = WorkerPool(settings)
        self.live = LivePainter()

    @contextlib.contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        conn = connect(self.settings.catalog_path)
        try:
            yield conn
        finally:
            conn.close()

    def model_path(self, model_id: int, medium: str) -> str:
        with self.db() as conn:
            return str(models.model_path(conn, model_id, medium))

    def upload(self, upload_id: str, kinds: tuple[str, ...]) -> dict[str, Any]:
        return uploads.get_upload(self.settings, upload_id, kinds)

    def submit(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        """Queue a job of `kind` and wake its lane's worker."""
        spec = TASKS[kind]
        features.require(spec.feature)
        with self.db() as conn:
            job = jobs.get_job(conn, jobs.create_job(conn, kind, spec.lane, params))
        self.pool.wake(spec.lane)
        return public_job(job)

    def job(self, job_id: int) -> dict[str, Any]:
        with self.db() as conn:
            return _existing(conn, job_id)

    def cancel(self, job_id: int) -> dict[str, Any]:
        with self.db() as conn:
            _existing(conn, job_id)
            try:
                job = jobs.request_cancel(conn, job_id)
            except UserError as exc:
                raise Problem(409, str(exc)) from None
        if job["status"] == "running":
            self.pool.cancel(job["lane"], job_id)
        return public_job(job)

    def resume(self, job_id: int) -> dict[str, Any]:
        with self.db() as conn:
            _existing(conn, job_id)
            try:
                job = jobs.requeue(conn, job_id)
            except UserError as exc:
                raise Problem(409, str(exc)) from None
        self.pool.wake(job["lane"])
        return public_job(job)

    def job_dir(self, job_id: int) -> Path:
        return self.settings.job_dir(job_id)


def _existing(conn: sqlite3.Connection, job_id: int) -> dict[str, Any]:
    try:
        return jobs.get_job(conn, job_id)
    except UserError:
        raise Problem(404, f"there is no job with id {job_id}.") from None


def get_studio(request: Request) -> Studio:
    return request.app.state.studio


StudioDep = Annotated[Studio, Depends(get_studio)]
