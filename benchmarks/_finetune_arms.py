"""The arms of benchmarks/finetune_images.py: the user's folder from builtin:art-library, a
fresh copy of the model to train from nothing, and `artforge ... --init-from` run for each arm
at once, one thread each."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import torch

from artforge.core import checkpoint

CROP = 128
STYLE_CROPS = ["--size", str(CROP), "--batch-size", "4"]
"""A CPU's settings for both style arms: 128 px crops in batches of 4 (the paper's 256 x 8
makes about 40 s a step, a handful of steps in five minutes). They are also `style train
--method johnson`'s defaults and the crops the shipped fast styles trained on."""
SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def painter_paintings(painter: str) -> tuple[list[Path], list[Path]]:
    """The painter's paintings in builtin:art-library: (to train on, held out: every third)."""
    from artforge.data.image_folders import scan_folder
    from artforge.data.libraries import library_folder

    files, _ = scan_folder(library_folder("builtin:art-library"))
    found = sorted(p for p in files if painter in p.stem)
    if len(found) < 4:
        raise SystemExit(f"only {len(found)} paintings by {painter} in builtin:art-library")
    return [p for i, p in enumerate(found) if i % 3 != 1], found[1::3]


def copied(files: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in files:
        shutil.copy(path, folder / path.name)
    return folder


def side_by_side(command: list[str], sources: dict[str, str], root: Path,
                 minutes: float) -> dict[str, tuple[Path, str]]:
    """Run `artforge *command --init-from SOURCE --out ...` for each arm at once, one thread
    each; each arm's run folder and the last line it printed."""
    env = {**os.environ, "ARTFORGE_THREADS": "1"}
    running = {}
    for label, source in sources.items():
        out = root / slug(label)
        running[label] = (out, subprocess.Popen(
            [sys.executable, "-m", "artforge", *command, "--init-from", source, "--out",
             str(out), "--minutes", str(minutes), "--steps", "1000000", "--device", "cpu"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    finished = {}
    for label, (out, process) in running.items():
        stdout, stderr = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"{label}: {stderr.strip()[-2000:]}")
        finished[label] = (out, stdout.strip().splitlines()[-1])
    return finished


def slug(label: str) -> str:
    return re.sub(r"[^\w-]", "-", label)


def fresh_copy(model, folder: Path) -> str:
    """A copy of `model`'s network with new (seeded) weights, saved in `folder`."""
    torch.manual_seed(0)
    config = model.config.replace(init_from=None)
    return str(checkpoint.save(type(model).from_config(config), folder))
