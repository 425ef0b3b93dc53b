"""The server's side of the jobs: one worker process per lane, started when work arrives (or
with the server, to warm up: tasks.WARM_UPS), restarted if it dies, stopped with the server.

A lock file held by the server (and inherited by its workers) keeps a second studio, or a new
one whose predecessor's workers are still saving, from running the same home's jobs.
"""

import contextlib
import fcntl
import os
import subprocess
import sys
import threading
import time
from typing import IO

from artforge.catalog import jobs
from artforge.catalog.db import connect
from artforge.errors import UserError
from artforge.studio.settings import LANES, StudioSettings
from artforge.studio.tasks import WARM_UPS
from artforge.studio.worker import WARM_UP_FLAG

LOCK_WAIT_S = 30.0
STOP_WAIT_S = 30.0
"""How long a stopping worker may take to save a training checkpoint before it is killed."""
MONITOR_EVERY_S = 1.0


class WorkerPool:
    def __init__(self, settings: StudioSettings) -> None:
        self.settings = settings
        self.processes: dict[str, subprocess.Popen] = {}
        self.lock = threading.Lock()
        self._lock_file: IO | None = None
        self._started = False
        self._stopping = threading.Event()
        self._monitor = threading.Thread(target=self._watch, name="workers", daemon=True)

    def start(self) -> list[int]:
        """Take the home's lock, mark jobs a previous server left running as interrupted,
        start the workers that warm up (settings.warm_up) and those of jobs still queued.
        Returns the interrupted jobs' ids."""
        self.settings.logs_dir.mkdir(parents=True, exist_ok=True)
        self._lock_file = _take_lock(self.settings)
        conn = connect(self.settings.catalog_path)
        try:
            interrupted = jobs.interrupt_running(conn)
            waiting = [lane for lane in LANES if jobs.count_waiting(conn, lane)]
        finally:
            conn.close()
        self._started = True
        if self.settings.warm_up:
            with self.lock:
                for lane in WARM_UPS:
                    self.processes[lane] = self._spawn(lane, warm_up=True)
        for lane in waiting:
            self.wake(lane)
        self._monitor.start()
        return interrupted

    def wake(self, lane: str) -> None:
        """Tell the lane's worker a job is waiting, starting the worker if needed (a pool that
        was never started, as in tests of the API alone, leaves the job queued)."""
        with self.lock:
            if not self._started or self._stopping.is_set():
                return
            process = self.processes.get(lane)
            if process is None or process.poll() is not None:
                process = self.processes[lane] = self._spawn(lane)
            _send(process, "wake")

    def cancel(self, lane: str, job_id: int) -> None:
        with self.lock:
            process = self.processes.get(lane)
            if process is not None and process.poll() is None:
                _send(process, f"cancel {job_id}")

    def _spawn(self, lane: str, warm_up: bool = False) -> subprocess.Popen:
        log = open(self.settings.logs_dir / f"worker-{lane}.log", "ab")  # noqa: SIM115
        env = {**os.environ, "ARTFORGE_HOME": str(self.settings.home)}
        command = [sys.executable, "-m", "artforge.studio.worker", lane, str(self.settings.home)]
        try:
            return subprocess.Popen(
                command + ([WARM_UP_FLAG] if warm_up else []),
                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, env=env,
                start_new_session=True,  # Ctrl-C on the server's terminal is the server's
                pass_fds=(self._lock_file.fileno(),) if self._lock_file else ())
        finally:
            log.close()

    def _watch(self) -> None:
        """A worker that died mid-job leaves it running: mark it interrupted, and start a new
        worker when its lane still has work."""
        while not self._stopping.wait(MONITOR_EVERY_S):
            with self.lock:
                dead = {lane: p for lane, p in self.processes.items() if p.poll() is not None}
                for lane in dead:
                    del self.processes[lane]
            if not dead:
                continue
            conn = connect(self.settings.catalog_path)
            try:
                for lane, process in dead.items():
                    jobs.interrupt_running(conn, worker_pid=process.pid)
                    if jobs.count_waiting(conn, lane):
                        self.wake(lane)
            finally:
                conn.close()

    def stop(self) -> None:
        """Close every worker's stdin (it stops its job, saving a training checkpoint), wait,
        kill what is left, release the lock."""
        self._stopping.set()
        with self.lock:
            processes = list(self.processes.values())
            self.processes.clear()
        for process in processes:
            with contextlib.suppress(OSError):
                process.stdin.close()
        deadline = time.monotonic() + STOP_WAIT_S
        for process in processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._monitor.is_alive():
            self._monitor.join()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def pids(self) -> dict[str, int]:
        with self.lock:
            return {lane: p.pid for lane, p in self.processes.items() if p.poll() is None}


def _send(process: subprocess.Popen, line: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # a worker that just died: the monitor acts
        process.stdin.write(f"{line}\n".encode())
        process.stdin.flush()


def check_home_free(settings: StudioSettings) -> None:
    """Refuse at once, with one sentence, when another studio holds this home's lock (the
    command line asks before it binds its port; the pool takes the lock itself later)."""
    settings.studio_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.studio_dir / "studio.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"another studio is using {settings.home}; stop it first, or give "
                            "this one another ARTFORGE_HOME.") from None
        fcntl.flock(handle, fcntl.LOCK_UN)


def _take_lock(settings: StudioSettings) -> IO:
    handle = open(settings.studio_dir / "studio.lock", "a+")  # noqa: SIM115
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise UserError(f"another studio is using {settings.home} (or its workers are "
                                "still stopping); stop it first.") from None
            time.sleep(0.2)
