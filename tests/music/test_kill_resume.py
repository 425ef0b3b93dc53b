"""kill -9 in the middle of music training, then --resume through the command line."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from artforge.core import checkpoint
from artforge.core.metrics_log import MetricsLog
from artforge.music.model import GRUMusicModel
from artforge.music.tokens import make_tokenizer
from tests.core.test_kill_resume import wait_for
from tests.music.fixtures import write_song_folder

SAVE_EVERY = 10


def train_command(songs: Path, run: Path, steps: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "artforge", "music", "train", "--data", str(songs),
            "--arch", "gru", "--hidden", "16", "--layers", "1", "--context", "32",
            "--batch-size", "4", "--out", str(run), "--steps", str(steps),
            "--save-every", str(SAVE_EVERY), "--device", "cpu", *extra]


def test_kill_9_then_resume(tmp_path):
    songs, run = write_song_folder(tmp_path / "songs", 4, bad=False), tmp_path / "run"
    env = {**os.environ, "ARTFORGE_THREADS": "1"}
    process = subprocess.Popen(train_command(songs, run, 100_000), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    wait_for(lambda: (checkpoint.latest_checkpoint(run) or Path("step-0")).name
             >= "step-00000020", process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    saved = int(checkpoint.latest_checkpoint(run).name.removeprefix("step-"))
    assert isinstance(checkpoint.load(run), GRUMusicModel)  # loadable right after the kill
    finish = saved + 15
    done = subprocess.run(train_command(songs, run, finish, "--resume"), capture_output=True,
                          text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert f"Trained to step {finish} (steps)" in done.stdout
    steps = [r["step"] for r in MetricsLog(run).read() if "loss" in r]
    assert steps == sorted(set(steps)) and steps[-1] == finish
    assert checkpoint.load(run).tokenizer.vocab == make_tokenizer("REMI").vocab
