"""The optimizers of one model, by name, with their learning-rate schedules and AMP scaling.

Most models have one optimizer and let the Trainer drive it. Models with several (a GAN's
generator and discriminator) set `manual_optimization = True` and drive them from their
`training_step(batch, optimizers)` with `optimizers.backward(loss)` and
`optimizers.step(name)`; gradients are then averaged across DDP ranks here.
"""

import math
import warnings
from typing import Any

import torch
import torch.distributed as dist
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LambdaLR

from artforge.core.train_config import TrainConfig

MAIN = "main"


class Optimizers:
    def __init__(self, optimizers: Optimizer | dict[str, Optimizer], config: TrainConfig,
                 scaler: torch.amp.GradScaler, sync_gradients: bool) -> None:
        self.by_name = optimizers if isinstance(optimizers, dict) else {MAIN: optimizers}
        self.config, self.scaler, self.sync_gradients = config, scaler, sync_gradients
        self.time_spent = 0.0
        """The share of the --minutes budget spent (the Trainer sets it, the same on every
        rank): with a budget, the cosine falls by whichever ends first, steps or minutes."""
        self.reached = 0.0
        """How far the schedule had gone when the run was saved (for a resumed run)."""
        self.schedulers = {name: LambdaLR(opt, self.lr_factor)
                           for name, opt in self.by_name.items()}

    def progress(self, step: int) -> float:
        """How far along the run after warm-up `step` is, 0 to 1: by steps, or by the time
        budget spent when that is further (a resumed run goes on from where it was, and falls
        over what is left by the end of its new budget)."""
        cfg = self.config
        by_steps = (step - cfg.warmup_steps) / max(1, cfg.steps - cfg.warmup_steps)
        by_time = self.reached + (1.0 - self.reached) * min(1.0, self.time_spent)
        return min(1.0, max(by_steps, by_time))

    def lr_factor(self, step: int) -> float:
        """Learning-rate multiplier by optimizer step: linear warm-up, then constant, cosine,
        or wsd (level, then a straight fall over the run's last `cooldown` share)."""
        cfg = self.config
        if step < cfg.warmup_steps:
            return (step + 1) / cfg.warmup_steps
        if cfg.schedule == "constant":
            return 1.0
        progress = self.progress(step)
        if cfg.schedule == "cosine":
            fall = 0.5 * (1.0 + math.cos(math.pi * progress))
        else:
            fall = min(1.0, (1.0 - progress) / cfg.cooldown)
        return cfg.min_lr_ratio + (1.0 - cfg.min_lr_ratio) * fall

    def __getitem__(self, name: str) -> Optimizer:
        return self.by_name[name]

    def lr(self, name: str = MAIN) -> float:
        name = name if name in self.by_name else next(iter(self.by_name))
        return self.by_name[name].param_groups[0]["lr"]

    def zero_grad(self, name: str | None = None) -> None:
        for key, optimizer in self.by_name.items():
            if name is None or key == name:
                optimizer.zero_grad(set_to_none=True)

    def backward(self, loss: torch.Tensor) -> None:
        self.scaler.scale(loss).backward()

    def step(self, name: str = MAIN) -> None:
        """Average gradients across ranks (manual mode), unscale, clip, step, schedule."""
        optimizer = self.by_name[name]
        params = [p for group in optimizer.param_groups for p in group["params"]]
        if self.sync_gradients and dist.is_initialized():
            _average_gradients(params)
        if self.config.grad_clip:
            self.scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(params, self.config.grad_clip)
        self.scaler.step(optimizer)
        with warnings.catch_warnings():
            # A float16 step that the GradScaler skipped (inf gradients) still moves the
            # schedule on: it follows the Trainer's step count. torch warns about the order.
            warnings.filterwarnings("ignore", message="Detected call of `lr_scheduler.step")
            self.schedulers[name].step()

    def state_dict(self) -> dict[str, Any]:
        step = next(iter(self.schedulers.values())).last_epoch
        return {"optimizers": {k: o.state_dict() for k, o in self.by_name.items()},
                "schedulers": {k: s.state_dict() for k, s in self.schedulers.items()},
                "progress": self.progress(step) if step >= self.config.warmup_steps else 0.0}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        for name, optimizer in self.by_name.items():
            optimizer.load_state_dict(state["optimizers"][name])
            scheduler = self.schedulers[name]
            scheduler.load_state_dict(state["schedulers"][name])
            scheduler.lr_lambdas = [self.lr_factor] * len(scheduler.lr_lambdas)
        self.reached = state.get("progress", 0.0)


def _average_gradients(params: list[torch.Tensor]) -> None:
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat)
    flat /= dist.get_world_size()
    offset = 0
    for grad in grads:
        grad.copy_(flat[offset:offset + grad.numel()].view_as(grad))
        offset += grad.numel()
