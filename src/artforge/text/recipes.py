"""How artforge trains GPTs: one recipe for the command line, the studio and the demo, and
the studio's sizes of model."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from artforge.core.medium import Report
from artforge.core.train_config import TrainConfig

if TYPE_CHECKING:
    from artforge.core.trainer import TrainResult

TEXT_TRAIN_DEFAULTS: dict[str, Any] = {
    "steps": 2000, "batch_size": 32, "lr": 2e-3, "schedule": "cosine", "weight_decay": 0.1,
    "betas": (0.9, 0.99)}
"""nanoGPT's small-model recipe: AdamW with beta2 0.99 and weight decay 0.1 on matrices, a
cosine fall to a tenth of the rate after a short warm-up."""


def text_train_config(**overrides: Any) -> TrainConfig:
    """The recipe with `overrides`; the warm-up is 100 steps, or a tenth of a shorter run."""
    options = {**TEXT_TRAIN_DEFAULTS, **overrides}
    options.setdefault("warmup_steps", min(100, options["steps"] // 10))
    return TrainConfig(**options)


TEXT_SIZES: dict[str, tuple[str, int | None]] = {
    "test": ("tiny", 32), "small": ("tiny", None), "medium": ("small", None),
    "large": ("base", None)}
"""The studio's sizes as (GPT preset, block size; None keeps the preset's)."""


def fit_text(data: str, run: Path, config: TrainConfig, size: str, *, resume: bool = False,
             report: Report = None) -> "TrainResult":
    """Train a GPT of `size` (TEXT_SIZES) on `data` into the run folder `run`."""
    from artforge.text.pipeline import TextTrainOptions, train_text

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
