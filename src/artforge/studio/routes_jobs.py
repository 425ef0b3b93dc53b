"""Routes that follow jobs: list, state, progress as Server-Sent Events, cancel, resume, and the
files a job made (served by name from the job's own folder only)."""

import asyncio
import json
import mimetypes
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from artforge.catalog import jobs
from artforge.studio.gallery import served_file
from artforge.studio.limits import Id
from artforge.studio.models import RUN_DIR
from artforge.studio.problems import Problem
from artforge.studio.service import StudioDep, public_job
from artforge.studio.settings import LANES
from artforge.studio.tasks import training

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.[A-Za-z0-9]{1,8}")
SAMPLE_NAME = re.compile(r"step-\d{1,12}\.png")
POLL_S = 0.25
KEEPALIVE_S = 15.0
TEXT_TYPES = {".txt": "text/plain; charset=utf-8", ".mid": "audio/midi", ".wav": "audio/wav"}


@router.get("")
def list_jobs(studio: StudioDep,
              lane: Annotated[str | None, Query(pattern=f"^({'|'.join(LANES)})$")] = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
    """The newest jobs first."""
    with studio.db() as conn:
        return [public_job(job) for job in jobs.list_jobs(conn, limit, lane)]


@router.get("/{job_id}")
def get_job(job_id: Id, studio: StudioDep) -> dict[str, Any]:
    return public_job(studio.job(job_id))


@router.post("/{job_id}/cancel")
def cancel_job(job_id: Id, studio: StudioDep) -> dict[str, Any]:
    """Cancel a queued job, or stop a running one (training saves a checkpoint first)."""
    return studio.cancel(job_id)


@router.post("/{job_id}/resume")
def resume_job(job_id: Id, studio: StudioDep) -> dict[str, Any]:
    """Queue an interrupted, cancelled or failed job again; training continues from its last
    checkpoint."""
    return studio.resume(job_id)


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.get("/{job_id}/events")
async def job_events(job_id: Id, request: Request, studio: StudioDep
                     ) -> StreamingResponse:
    """Server-Sent Events: `job` (the job whenever it changes), `metrics` (new training log
    lines), and `end` once it has ended."""
    await run_in_threadpool(studio.job, job_id)

    async def stream():
        seen, last_step, quiet = None, -1, 0.0
        while True:
            job = await run_in_threadpool(studio.job, job_id)
            if job["version"] != seen:
                seen, quiet = job["version"], 0.0
                yield _event("job", public_job(job))
            if job["kind"] == "train":
                new = await run_in_threadpool(training.metrics, studio.job_dir(job_id),
                                              last_step)
                if new:
                    last_step = new[-1]["step"]
                    yield _event("metrics", new)
            if job["status"] in jobs.ENDED:
                yield _event("end", {"status": job["status"]})
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(POLL_S)
            quiet += POLL_S
            if quiet >= KEEPALIVE_S:
                quiet = 0.0
                yield ": still working\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/{job_id}/metrics")
def job_metrics(job_id: Id, studio: StudioDep, after: Annotated[int, Query(ge=-1)] = -1
                ) -> list[dict[str, Any]]:
    """A training job's logged losses after step `after`."""
    studio.job(job_id)
    return training.metrics(studio.job_dir(job_id), after)


@router.get("/{job_id}/samples")
def job_samples(job_id: Id, studio: StudioDep) -> list[str]:
    """A GAN training job's sample grids (one per checkpoint), oldest first."""
    studio.job(job_id)
    return training.samples(studio.job_dir(job_id))


def send_file(path: Path, home: Path, download: bool) -> FileResponse:
    served = served_file(path, home)
    if served is None:
        raise Problem(404, f"{path.name} was not found.")
    media = TEXT_TYPES.get(served.suffix.lower()) or mimetypes.guess_type(served.name)[0]
    return FileResponse(served, media_type=media or "application/octet-stream",
                        filename=served.name if download else None,
                        content_disposition_type="attachment" if download else "inline")


@router.get("/{job_id}/files/{name}")
def job_file(job_id: Id, name: str, studio: StudioDep, download: bool = False
             ) -> FileResponse:
    """A file the job made, by its plain name (no folders)."""
    if not FILE_NAME.fullmatch(name):
        raise Problem(400, "a file name is letters, digits, '-' and '_' with one extension.")
    studio.job(job_id)
    return send_file(studio.job_dir(job_id) / name, studio.settings.home, download)


@router.get("/{job_id}/samples/{name}")
def job_sample(job_id: Id, name: str, studio: StudioDep) -> FileResponse:
    if not SAMPLE_NAME.fullmatch(name):
        raise Problem(400, "sample grids are named step-N.png.")
    studio.job(job_id)
    folder = studio.job_dir(job_id) / RUN_DIR / "samples"
    return send_file(folder / name, studio.settings.home, False)
