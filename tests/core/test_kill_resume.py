"""kill -9 in the middle of training, then --resume: at most one save interval is lost."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from artforge.core import checkpoint
from artforge.core.metrics_log import MetricsLog
from artforge.image.field.model import FieldModel

SAVE_EVERY = 50


def train_command(run: Path, steps: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "artforge", "image", "field", "train", "--image",
            "builtin:paintings/hokusai-great-wave", "--size", "12", "--out", str(run),
            "--steps", str(steps), "--save-every", str(SAVE_EVERY), "--device", "cpu", *extra]


def logged_steps(run: Path) -> list[int]:
    """Steps with a training loss; a line cut short by the kill is skipped by MetricsLog."""
    return [record["step"] for record in MetricsLog(run).read() if "loss" in record]


def wait_for(condition, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 240
    while not condition():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "training made no progress"
        time.sleep(0.02)


def test_kill_9_then_resume_loses_at_most_one_save_interval(tmp_path):
    run = tmp_path / "run"
    process = subprocess.Popen(train_command(run, 100_000), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    wait_for(lambda: (checkpoint.latest_checkpoint(run) or Path("step-0")).name
             >= "step-00000200", process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    saved = checkpoint.latest_checkpoint(run)
    saved_step = int(saved.name.removeprefix("step-"))
    assert logged_steps(run)[-1] - saved_step <= SAVE_EVERY
    assert isinstance(checkpoint.load(run), FieldModel)  # loadable right after the kill

    finish = saved_step + 60
    done = subprocess.run(train_command(run, finish, "--resume"), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"Trained to step {finish} (steps)" in done.stdout
    assert checkpoint.latest_checkpoint(run).name == f"step-{finish:08d}"
    steps_logged = logged_steps(run)
    assert steps_logged == sorted(set(steps_logged)), "steps after the kill were logged twice"
    assert steps_logged[-1] == finish
    from artforge.catalog import records

    assert [run["status"] for run in records.list_runs()] == ["steps", "interrupted"]


def test_sigterm_saves_then_exits_cleanly(tmp_path):
    run = tmp_path / "run"
    process = subprocess.Popen(train_command(run, 100_000), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    wait_for(lambda: (run / "metrics.jsonl").exists(), process)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    last = logged_steps(run)[-1]
    assert f"Trained to step {last} (signal)" in stdout
    assert checkpoint.latest_checkpoint(run).name == f"step-{last:08d}"


def test_train_without_resume_refuses_an_existing_run(tmp_path):
    run = tmp_path / "run"
    first = subprocess.run(train_command(run, 5), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(train_command(run, 10), capture_output=True, text=True, timeout=300)
    assert again.returncode == 2
    assert again.stderr.strip() == (f"error: {run} already holds a training run; pass --resume "
                                    "to continue it or choose another --out.")
    assert checkpoint.latest_checkpoint(run).name == "step-00000005"
