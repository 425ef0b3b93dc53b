"""How artforge trains GPTs: one recipe for the command line, the studio and the demo, and
the studio's sizes of model."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from artforge.core.medium import Report
from artforge.core.train_config import TrainConfig

if TYPE_CHECKING:
    from artforge.core.trainer import TrainResult

TEXT_TRAIN_DEFAULTS: dict[str, Any] = {
    "steps": 2000, "batch_size": 32, "lr": 2e-3, "schedule": "wsd", "weight_decay": 0.1,
    "betas": (0.9, 0.99)}
"""nanoGPT's small-model recipe (AdamW with beta2 0.99 and weight decay 0.1 on matrices)
with a warm-up-stable-decay rate: a short warm-up, the full rate, then a straight fall to a
tenth over the last fifth of --steps or of the --minutes budget. A cosine lowers the rate from
the start (with --minutes, by the time spent, start-up and warm-up included); in a few minutes
on a CPU, a few hundred steps with the model still leaving its letter-frequency plateau, that
cost 0.12 bits per character on held-out verse against this rate (280 steps, two seeds;
benchmarks/RESULTS.md, 2026-12-07, text_defaults.py). At the end of long runs the two are
reported to end alike (Hägele et al. 2024, "Scaling Laws and Compute-Optimal Training Beyond
Fixed Training Durations")."""


def text_train_config(**overrides: Any) -> TrainConfig:
    """The recipe with `overrides`; the warm-up is 50 steps, or a tenth of a shorter run (a
    run with --minutes may be only a few hundred steps long)."""
    options = {**TEXT_TRAIN_DEFAULTS, **overrides}
    options.setdefault("warmup_steps", min(50, options["steps"] // 10))
    return TrainConfig(**options)


TEXT_SIZES: dict[str, tuple[str, int | None]] = {
    "test": ("tiny", 32), "small": ("tiny", None), "medium": ("small", None),
    "large": ("base", None)}
"""The studio's sizes as (GPT preset, block size; None keeps the preset's)."""


def fit_text(data: str, run: Path, config: TrainConfig, size: str, *, resume: bool = False,
             report: Report = None) -> "TrainResult":
    """Train a GPT of `size` (TEXT_SIZES) on `data` into the run folder `run`."""
    from artforge.text.train import TextTrainOptions, train_text

    preset, block = TEXT_SIZES[size]
    return train_text(data, run, config, TextTrainOptions(preset=preset, block_size=block),
                      resume=resume, report=report)


def preview_text(checkpoint: Path, out: Path, seed: int) -> list[str]:
    """200 tokens of what a new model writes, in out/preview.txt."""
    from artforge.core.atomic import write_text
    from artforge.text.generate import GenerationConfig
    from artforge.text.pipeline import generate_text

    made = generate_text(checkpoint, "", GenerationConfig(max_new_tokens=200, seed=seed))
    write_text(out / "preview.txt", made.texts[0])
    return ["preview.txt"]
