"""kill -9 in the middle of training, then --resume: at most one save interval is lost."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from artforge.core import checkpoint
from artforge.core.metrics_log import MetricsLog
from artforge.toy.model import FieldModel

SAVE_EVERY = 200  # the demo's save interval


def start_demo(out: Path, steps: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "artforge", "demo", "--out", str(out), "--steps", str(steps),
               "--size", "12", "--device", "cpu"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def logged_steps(run: Path) -> list[int]:
    """Steps with a training loss; a line cut short by the kill is skipped by MetricsLog."""
    return [record["step"] for record in MetricsLog(run).read() if "loss" in record]


def test_kill_9_then_resume_loses_at_most_one_save_interval(tmp_path):
    out, steps = tmp_path / "demo", 100_000
    run = out / "field-hokusai-great-wave"
    process = start_demo(out, steps)
    deadline = time.monotonic() + 240
    while (checkpoint.latest_checkpoint(run) or Path("step-0")).name < "step-00000400":
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "no checkpoint appeared"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    saved = checkpoint.latest_checkpoint(run)
    saved_step = int(saved.name.removeprefix("step-"))
    assert logged_steps(run)[-1] - saved_step <= SAVE_EVERY
    assert isinstance(checkpoint.load(run), FieldModel)  # loadable right after the kill

    finish = saved_step + 60
    done = subprocess.run([sys.executable, "-m", "artforge", "demo", "--out", str(out), "--steps",
                           str(finish), "--size", "12", "--device", "cpu"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert checkpoint.latest_checkpoint(run).name == f"step-{finish:08d}"
    steps_logged = logged_steps(run)
    assert steps_logged == sorted(set(steps_logged)), "steps after the kill were logged twice"
    assert steps_logged[-1] == finish
    assert (out / "index.html").is_file()
    from artforge.catalog import records

    assert [run["status"] for run in records.list_runs()] == ["steps", "interrupted"]


def test_sigterm_saves_then_exits_cleanly(tmp_path):
    out = tmp_path / "demo"
    process = start_demo(out, 100_000)
    deadline = time.monotonic() + 240
    while not (out / "field-hokusai-great-wave" / "metrics.jsonl").exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    last = logged_steps(out / "field-hokusai-great-wave")[-1]
    assert checkpoint.latest_checkpoint(out / "field-hokusai-great-wave").name == f"step-{last:08d}"
