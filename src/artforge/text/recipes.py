"""How artforge trains GPTs: one recipe for the command line, the studio and the demo."""

from typing import Any

from artforge.core.train_config import TrainConfig

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
