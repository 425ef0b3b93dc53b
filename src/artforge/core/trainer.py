"""The one training loop every medium uses.

A model fills in `training_step` (and optionally `validation_step`, `configure_optimizer`);
the Trainer does the rest: device and AMP, gradient accumulation and clipping, EMA, step and
wall-clock budgets, JSONL metrics, a progress bar, periodic and signal-triggered atomic
checkpoints, bit-for-bit resume (artforge.core.run_checkpoints), and DDP under torchrun (only
rank 0 writes).
"""

import contextlib
import dataclasses
import math
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.utils.data import Dataset

from artforge.core import checkpoint, distributed
from artforge.core.batches import Batches, to_device
from artforge.core.best import BestValidation
from artforge.core.device import pick_device, set_threads
from artforge.core.ema import EMA
from artforge.core.evaluate import evaluate
from artforge.core.metrics_log import MetricsLog
from artforge.core.model import ArtModel
from artforge.core.optimizers import Optimizers
from artforge.core.progress import Progress
from artforge.core.run_checkpoints import RunCheckpoints
from artforge.core.seeding import seed_everything
from artforge.core.signals import stop_on_signals
from artforge.core.train_config import TrainConfig
from artforge.errors import UserError


@dataclasses.dataclass
class TrainResult:
    step: int
    stopped_by: str
    """"steps" (reached --steps), "minutes" (budget spent) or "signal" (Ctrl-C / SIGTERM)."""
    checkpoint: Path
    metrics: dict[str, float]
    world_size: int = 1
    """Processes that trained together (torchrun --nproc_per_node)."""


class _StepModule(nn.Module):
    """Routes forward() to training_step so that DDP's gradient hooks see the real work."""

    def __init__(self, model: ArtModel) -> None:
        super().__init__()
        self.model = model

    def forward(self, batch: Any) -> dict[str, torch.Tensor]:
        return self.model.training_step(batch)


class Trainer(RunCheckpoints):
    def __init__(self, model: ArtModel, config: TrainConfig, run_dir: Path, train_data: Dataset,
                 val_data: Dataset | None = None, *, resume: bool = False,
                 data_note: str = "") -> None:
        self.model, self.config, self.run_dir = model, config, Path(run_dir)
        self.train_data, self.val_data = train_data, val_data
        self.resume, self.data_note = resume, data_note
        self.step = 0
        self.last_metrics: dict[str, float] = {}
        self._best = BestValidation(config.keep_best)
        self._stop_requested = threading.Event()

    def request_stop(self) -> None:
        """Ask the loop to save and stop after the current step (signals and the studio use it)."""
        self._stop_requested.set()

    # Set-up ----------------------------------------------------------------------------------
    def _setup(self) -> None:
        cfg = self.config
        set_threads()
        self.device, self._owns_group = distributed.init_from_env(pick_device(cfg.device))
        seed_everything(cfg.seed + distributed.rank())
        self.model.to(self.device).train()
        manual = self.model.manual_optimization
        if manual and cfg.accumulate > 1:
            raise UserError(f"{self.model.kind} models drive their own optimizers and do not "
                            "support --accumulate.")
        self.batches = Batches(self.train_data, cfg.batch_size, cfg.seed, distributed.rank(),
                               distributed.world_size(), cfg.num_workers)
        self.metrics = MetricsLog(self.run_dir)
        self._amp_dtype = self._pick_amp_dtype()
        self.scaler = torch.amp.GradScaler("cuda", enabled=self._amp_dtype == torch.float16)
        self.optimizers = Optimizers(
            self.model.configure_optimizer(cfg.lr, cfg.weight_decay, cfg.betas), cfg,
            self.scaler, sync_gradients=manual)
        saved = self._restore_or_start()
        # The EMA starts from the restored weights, and takes over a saved average if any.
        decay = self.model.ema_decay if cfg.ema_decay is None else cfg.ema_decay
        self.ema = EMA(self.model, decay) if decay else None
        if self.ema is not None and saved is not None and saved[0].get("ema"):
            self.ema.load_state_dict(saved[0]["ema"], saved[1])
        self.wrapped: nn.Module = _StepModule(self.model)
        if distributed.world_size() > 1 and not manual:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.wrapped = nn.parallel.DistributedDataParallel(self.wrapped, device_ids=ids)

    def _pick_amp_dtype(self) -> torch.dtype | None:
        if not (self.config.amp and self.device.type == "cuda"):
            return None
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16

    # The loop --------------------------------------------------------------------------------
    def fit(self) -> TrainResult:
        """Train until --steps, the --minutes budget or a stop request; save and report."""
        self._owns_group = False
        try:
            self._setup()
            stopped_by = self._loop()
            world = distributed.world_size()
            distributed.finish_together()
        finally:
            if self._owns_group:
                torch.distributed.destroy_process_group()
        final = checkpoint.checkpoint_dir(self.run_dir, self.step)
        return TrainResult(self.step, stopped_by, final, dict(self.last_metrics), world)

    def _loop(self) -> str:
        cfg, started, first_step = self.config, time.monotonic(), self.step
        stopped_by = "steps"
        batch_iter = iter(self.batches)
        window: dict[str, list[float]] = {}
        # Signals stay handled until the final save is written.
        progress = Progress(cfg.steps, self.step, self.model.kind, enabled=distributed.is_main(),
                            minutes=cfg.minutes)
        with stop_on_signals(self._stop_requested), progress:
            while self.step < cfg.steps:
                losses = self._optimizer_step(batch_iter)
                self.step += 1
                for name, value in losses.items():
                    window.setdefault(name, []).append(value)
                progress.update(self.step, losses)
                if self.step % cfg.log_every == 0:
                    self._log(window, started)
                if cfg.eval_every and self.step % cfg.eval_every == 0:
                    self._validate()
                if self.step % cfg.save_every == 0:
                    self._save()
                stopped_by = self._stop_reason(started)
                if stopped_by != "steps":
                    break
            if self.step > first_step:  # else: resumed a run that had already reached --steps
                self._log(window, started)
                if not cfg.eval_every or self.step % cfg.eval_every:
                    self._validate()
                if self._take_best() or self.step % cfg.save_every:
                    self._save()
        return stopped_by

    def _stop_reason(self, started: float) -> str:
        """"signal" or "minutes" when any rank must stop now, else "steps" (go on)."""
        minutes, since = self.config.minutes, self.config.budget_from
        spent = time.time() - since if since is not None else time.monotonic() - started
        share = spent / (minutes * 60) if minutes is not None else 0.0
        patience = self.config.patience
        out_of_patience = bool(patience) and self._best.stale >= patience  # rank 0 validates
        signal_seen, share, out_of_patience = distributed.max_over_ranks(
            [float(self._stop_requested.is_set()), share, float(out_of_patience)], self.device)
        self.optimizers.time_spent = share  # the cosine schedule falls by the budget's end
        if signal_seen or share > 1.0:
            return "signal" if signal_seen else "minutes"
        return "patience" if out_of_patience else "steps"

    def _amp(self) -> contextlib.AbstractContextManager:
        return torch.autocast(self.device.type, dtype=self._amp_dtype,
                              enabled=self._amp_dtype is not None)

    def _optimizer_step(self, batch_iter: Iterator[Any]) -> dict[str, float]:
        if self.model.manual_optimization:
            with self._amp():
                losses = self.model.training_step(to_device(next(batch_iter), self.device),
                                                  self.optimizers)
            totals = {name: self._checked(value) for name, value in losses.items()}
        else:
            totals = self._automatic_step(batch_iter)
        self.scaler.update()
        if self.ema is not None:
            self.ema.update(self.model)
        return totals

    def _automatic_step(self, batch_iter: Iterator[Any]) -> dict[str, float]:
        accumulate = self.config.accumulate
        self.optimizers.zero_grad()
        totals: dict[str, float] = {}
        for micro in range(accumulate):
            batch = to_device(next(batch_iter), self.device)
            no_sync = getattr(self.wrapped, "no_sync", None)
            last = micro == accumulate - 1
            sync_ctx = no_sync() if (no_sync and not last) else contextlib.nullcontext()
            with sync_ctx, self._amp():
                losses = self.wrapped(batch)
            self._checked(losses["loss"])
            self.optimizers.backward(losses["loss"] / accumulate)
            for name, value in losses.items():
                totals[name] = totals.get(name, 0.0) + float(value.detach()) / accumulate
        self.optimizers.step()
        return totals

    def _checked(self, loss: torch.Tensor) -> float:
        value = float(loss.detach())
        if not math.isfinite(value):
            raise UserError(f"training diverged: the loss is {value} at step {self.step + 1}; "
                            "lower --lr or resume from the last checkpoint.")
        return value

    def _log(self, window: dict[str, list[float]], started: float) -> None:
        """Log the means of the losses since the last log line, and empty the window."""
        if not window:
            return
        means = {name: sum(values) / len(values) for name, values in window.items()}
        window.clear()
        self.last_metrics.update(means)
        if distributed.is_main():
            lr = self.optimizers.lr()
            self.metrics.append({"step": self.step, "time": round(time.monotonic() - started, 3),
                                 "lr": lr, **means})

    def _validate(self) -> None:
        if self.val_data is None or not distributed.is_main():
            return
        metrics = evaluate(self.model, self.val_data, self.config.batch_size, self.device)
        means = {f"val_{name}": value for name, value in metrics.items()}
        self.last_metrics.update(means)
        self.metrics.append({"step": self.step, **means})
        self._best.offer(metrics.get("loss"), self.step, means, self.model)

    def _take_best(self) -> bool:
        """With keep_best: put back the weights of the best validation if the last ones are
        worse; the final checkpoint then holds them (its card says from which step)."""
        best = self._best
        # Only rank 0 validates; every rank takes its decision, as the save that follows is
        # collective (rank 0's weights are the ones written).
        (replaces,) = distributed.max_over_ranks([float(best.replaces(self.step))], self.device)
        if not replaces or not best.weights:  # no weights: a rank that does not validate
            return bool(replaces)
        self.model.load_state_dict(best.weights)
        if self.ema is not None:
            self.ema = EMA(self.model, self.ema.decay)
        self.last_metrics.update(best.metrics, best_step=float(best.step))
        if distributed.is_main():
            self.metrics.append({"step": self.step, "best_step": best.step, **best.metrics})
        return True
