"""What a running job sees: its parameters, its output folder, and a way to report progress."""

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from artforge.catalog import jobs

REPORT_EVERY_S = 0.2
"""Progress and streamed text reach the catalog at most this often (and once at the end)."""


class JobContext:
    def __init__(self, conn: sqlite3.Connection, job: dict[str, Any], out: Path,
                 catalog_path: Path) -> None:
        self.conn, self.job_id = conn, job["id"]
        self.resume = job["resume"]
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.catalog_path = catalog_path
        self._last_report = 0.0
        self._pending: dict[str, Any] = {}

    def progress(self, fraction: float | None, message: str | None = None) -> None:
        """How far the job is (0-1) and what it is doing; throttled like `stream`."""
        self._report({"progress": fraction, "message": message})

    def stream(self, partial: Any, fraction: float | None = None) -> None:
        """Output so far (text being written); throttled, the last value is never lost."""
        self._report({"progress": fraction, "partial": partial})

    def _report(self, values: dict[str, Any]) -> None:
        self._pending.update({key: value for key, value in values.items() if value is not None})
        if time.monotonic() - self._last_report >= REPORT_EVERY_S:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            jobs.update_progress(self.conn, self.job_id, self._pending.get("progress"),
                                 self._pending.get("message"), self._pending.get("partial"))
            self._pending = {}
            self._last_report = time.monotonic()

    def watch(self, read: Callable[[], tuple[float, str] | None], every_s: float = 1.0
              ) -> "Watcher":
        """Report `read()` (fraction, message) every `every_s` from a thread, while the main
        thread is busy in a library call (training)."""
        return Watcher(self.catalog_path, self.job_id, read, every_s)


class Watcher:
    """A context manager: a thread with its own catalog connection reports progress."""

    def __init__(self, catalog_path: Path, job_id: int,
                 read: Callable[[], tuple[float, str] | None], every_s: float) -> None:
        self.catalog_path, self.job_id, self.read, self.every_s = (catalog_path, job_id, read,
                                                                   every_s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="progress", daemon=True)

    def __enter__(self) -> "Watcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        from artforge.catalog.db import connect

        conn = connect(self.catalog_path)
        try:
            while not self._stop.wait(self.every_s):
                seen = self.read()
                if seen is not None:
                    jobs.update_progress(conn, self.job_id, *seen)
        finally:
            conn.close()
