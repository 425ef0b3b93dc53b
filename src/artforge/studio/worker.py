"""One studio worker process: takes the jobs of one lane from the catalog and runs them.

The server starts it as `python -m artforge.studio.worker LANE HOME [--warm-up]` and talks to
it on stdin: "wake" (a job was queued) and "cancel ID". With --warm-up (the studio starting)
it first loads what its lane's first job will need (tasks.WARM_UPS). When stdin closes, the
server has gone: the worker stops its job and exits. A job is stopped by raising SIGTERM in
the main thread: inside training the Trainer's own handler saves a checkpoint and ends the loop
(the job can resume); anywhere else `JobStopped` ends the job.
"""

import _thread
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from artforge.catalog import jobs
from artforge.catalog.db import connect
from artforge.errors import UserError
from artforge.studio.context import JobContext
from artforge.studio.settings import StudioSettings
from artforge.studio.tasks import WARM_UPS, run_task

IDLE_POLL_S = 2.0
WARM_UP_FLAG = "--warm-up"
FINAL_MESSAGES = {"done": "finished", "failed": "failed", "cancelled": "stopped",
                  "interrupted": "interrupted: the studio stopped while this ran"}


class JobStopped(BaseException):
    """Raised in the main thread to end a job early (a BaseException, like KeyboardInterrupt,
    so that library code catching Exception lets it pass)."""


class Worker:
    def __init__(self, lane: str, settings: StudioSettings) -> None:
        self.lane, self.settings = lane, settings
        self.conn = connect(settings.catalog_path)
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.current: int | None = None
        self.stop_reason: str | None = None
        """Why the current job is being stopped: "cancel" (the user) or "shutdown"."""
        self.closing = False
        self.warming = False
        """Whether the main thread is in the warm-up, which a shutdown ends at once."""

    # The listening thread -----------------------------------------------------------------
    def listen(self) -> None:
        for line in sys.stdin:
            command, _, argument = line.strip().partition(" ")
            if command == "wake":
                self.wake.set()
            elif command == "cancel" and argument.isdigit():
                self.stop(int(argument), "cancel")
        self.closing = True
        self.wake.set()
        if self.warming:
            _thread.interrupt_main(signal.SIGTERM)
        self.stop(self.current, "shutdown")

    def stop(self, job_id: int | None, reason: str) -> None:
        with self.lock:
            if job_id is None or job_id != self.current or self.stop_reason is not None:
                return
            self.stop_reason = reason
        _thread.interrupt_main(signal.SIGTERM)

    def _on_sigterm(self, signum: int, frame: Any) -> None:
        if self.current is None:
            self.closing = True
            if self.warming:
                raise JobStopped
            return
        if self.stop_reason is None:
            self.stop_reason = "shutdown"
        raise JobStopped

    # The main loop -------------------------------------------------------------------------
    def run(self, warm_up: bool = False) -> None:
        signal.signal(signal.SIGTERM, self._on_sigterm)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when we stop
        threading.Thread(target=self.listen, name="stdin", daemon=True).start()
        if warm_up:
            self.warm_up()
        while not self.closing:
            job = jobs.claim_next(self.conn, self.lane, os.getpid())
            if job is None:
                self.wake.wait(IDLE_POLL_S)
                self.wake.clear()
                continue
            self.run_job(job)

    def warm_up(self) -> None:
        """Run the lane's warm-ups before its first job (one queued meanwhile waits: it needs
        the same imports). One that fails is logged, and the jobs load what they need; a
        shutdown ends it (JobStopped)."""
        self.warming = True  # before `closing` is read: a shutdown sees one or the other
        try:
            for step in WARM_UPS.get(self.lane, ()):
                if self.closing:
                    break
                self._warm_up_step(step)
        except JobStopped:
            pass
        finally:
            self.warming = False

    @staticmethod
    def _warm_up_step(step: Callable[[], None]) -> None:
        name, start = f"{step.__module__}.{step.__qualname__}", time.perf_counter()
        try:
            step()
        except Exception:
            print(f"warm-up {name} failed; the jobs will load what they need:\n"
                  f"{traceback.format_exc()}", file=sys.stderr, flush=True)
        else:
            print(f"warm-up {name} done in {time.perf_counter() - start:.1f} s", flush=True)

    def run_job(self, job: dict[str, Any]) -> None:
        with self.lock:
            self.current, self.stop_reason = job["id"], None
        out = self.settings.job_dir(job["id"])
        out.mkdir(parents=True, exist_ok=True)
        status, result, error = "done", None, None
        try:
            if jobs.get_job(self.conn, job["id"])["cancel_requested"]:
                self.stop_reason = "cancel"
                raise JobStopped
            # Catalog rows written by the library name the command that made them.
            sys.argv = ["artforge", "studio", "job", str(job["id"])]
            context = JobContext(self.conn, job, out, self.settings.catalog_path)
            result = run_task(job["kind"], context, job["params"])
            context.flush()
            if self.stop_reason is not None:  # training saved and stopped early
                status = self._stopped_status()
        except JobStopped:
            status = self._stopped_status()
        except UserError as exc:
            status, error = "failed", str(exc)
        except Exception as exc:  # a bug or a broken file: keep the worker alive, say what
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            (out / "error.log").write_text(traceback.format_exc())
        finally:
            with self.lock:
                self.current = None
        summary = (result or {}).pop("summary", None)
        jobs.finish_job(self.conn, job["id"], status, result, error,
                        message=summary or FINAL_MESSAGES[status])

    def _stopped_status(self) -> str:
        return "cancelled" if self.stop_reason == "cancel" else "interrupted"


def main(argv: list[str]) -> None:
    lane, home, *flags = argv
    os.environ["ARTFORGE_HOME"] = home  # the library's catalog calls go to the studio's home
    from artforge.core.device import set_threads

    set_threads()
    Worker(lane, StudioSettings(home=Path(home))).run(warm_up=WARM_UP_FLAG in flags)


if __name__ == "__main__":
    main(sys.argv[1:])
