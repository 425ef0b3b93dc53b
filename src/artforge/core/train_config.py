"""Options of the shared training loop, saved in every checkpoint's training state."""

import dataclasses
from typing import Any

from artforge.core.config import Config, require

FINE_TUNING: dict[str, Any] = {
    "lr": 3e-4, "schedule": "constant", "warmup_steps": 10, "eval_every": 25, "keep_best": True,
    "patience": 12}
"""The recipe for fine-tuning a trained model (`--init-from`) on a small folder, in every
medium: a rate several times below the 2e-3 the shipped models were trained with, checked on
the folder's validation part every 25 steps, finishing with the best weights and stopping once
12 checks in a row found nothing better (a folder of 30 poems is learnt by heart in a few
hundred steps, and the model forgets what it knew)."""

SCHEDULES = ("constant", "cosine", "wsd")
"""The learning-rate schedules after warm-up (see TrainConfig.schedule)."""


@dataclasses.dataclass
class TrainConfig(Config):
    steps: int = 1000
    minutes: float | None = None
    """Wall-clock budget of this invocation; training stops (and saves) when it is spent."""
    budget_from: float | None = None
    """When (time.time()) the --minutes budget started: the command's start, so reading data
    and learning a tokenizer count too. None: when the training loop starts."""
    batch_size: int = 32
    lr: float = 1e-3
    schedule: str = "constant"
    """Learning rate after warm-up: "constant"; "cosine" (down to min_lr_ratio * lr by the
    end of --steps or of the --minutes budget, whichever comes first); or "wsd" (warm-up,
    stable, decay: the full rate until the last `cooldown` share of the run, then a straight
    fall to min_lr_ratio * lr; it keeps the rate high for most of a short run, and matches
    the cosine at the end of a long one)."""
    warmup_steps: int = 0
    min_lr_ratio: float = 0.1
    cooldown: float = 0.2
    """"wsd": the share of the run (of --steps, or of the --minutes budget) its fall takes."""
    weight_decay: float = 0.0
    betas: tuple[float, float] = (0.9, 0.999)
    grad_clip: float | None = 1.0
    accumulate: int = 1
    """Gradient accumulation: batches per optimizer step."""
    ema_decay: float | None = None
    """None: use the model's default (ArtModel.ema_decay); 0: no EMA."""
    save_every: int = 500
    eval_every: int = 0
    """0: validate only at the end (when there is validation data)."""
    keep_best: bool = False
    """Finish with the weights of the best validation so far (fine-tuning on a small folder
    overfits: its last weights are rarely its best)."""
    patience: int = 0
    """Stop when this many validations in a row found no better loss (0: never)."""
    log_every: int = 10
    keep_checkpoints: int = 2
    seed: int = 0
    device: str = "auto"
    amp: bool = True
    """Mixed precision on CUDA (bfloat16 where supported, else float16 with loss scaling)."""
    num_workers: int = 0

    def validate(self) -> None:
        require([
            (self.steps >= 1, "--steps must be at least 1"),
            (self.minutes is None or self.minutes > 0, "--minutes must be positive"),
            (self.batch_size >= 1, "--batch-size must be at least 1"),
            (self.lr > 0, "--lr must be positive"),
            (self.schedule in SCHEDULES, f"--schedule must be one of {', '.join(SCHEDULES)}"),
            (self.warmup_steps >= 0, "--warmup-steps must be 0 or more"),
            (0 <= self.min_lr_ratio <= 1, "min_lr_ratio must be in [0, 1]"),
            (0 < self.cooldown <= 1, "cooldown must be in (0, 1]"),
            (self.accumulate >= 1, "--accumulate must be at least 1"),
            (self.save_every >= 1, "--save-every must be at least 1"),
            (self.log_every >= 1, "--log-every must be at least 1"),
            (self.eval_every >= 0, "--eval-every must be 0 (only at the end) or more"),
            (self.patience >= 0, "--patience must be 0 (never stop early) or more"),
            (self.eval_every > 0 or not (self.keep_best or self.patience),
             "keeping the best weights or stopping early needs --eval-every"),
            (self.num_workers >= 0, "--num-workers must be 0 or more"),
            (self.keep_checkpoints >= 1, "keep_checkpoints must be at least 1"),
            (self.ema_decay is None or 0 <= self.ema_decay < 1, "--ema must be in [0, 1)"),
            (self.grad_clip is None or self.grad_clip > 0, "--grad-clip must be positive"),
        ])
