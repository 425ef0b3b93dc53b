"""The one training loop every medium uses.

A model fills in `training_step` (and optionally `validation_step`, `configure_optimizer`);
the Trainer does the rest: device and AMP, gradient accumulation and clipping, EMA, step and
wall-clock budgets, JSONL metrics, a progress bar, periodic and signal-triggered atomic
checkpoints, bit-for-bit resume, and DDP under torchrun (only rank 0 writes).
"""

import contextlib
import dataclasses
import math
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from artforge.core import checkpoint, distributed
from artforge.core.batches import Batches, collate_for
from artforge.core.card import training_card
from artforge.core.device import pick_device, set_threads
from artforge.core.ema import EMA
from artforge.core.metrics_log import MetricsLog
from artforge.core.model import ArtModel
from artforge.core.optimizers import Optimizers
from artforge.core.progress import Progress
from artforge.core.seeding import rng_state, seed_everything, set_rng_state
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


def to_device(batch: Any, device: torch.device) -> Any:
    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, dict):
        return {k: to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, list | tuple):
        return type(batch)(to_device(v, device) for v in batch)
    return batch


class Trainer:
    def __init__(self, model: ArtModel, config: TrainConfig, run_dir: Path, train_data: Dataset,
                 val_data: Dataset | None = None, *, resume: bool = False,
                 data_note: str = "") -> None:
        config.validate()
        self.model, self.config, self.run_dir = model, config, Path(run_dir)
        self.train_data, self.val_data = train_data, val_data
        self.resume, self.data_note = resume, data_note
        self.step = 0
        self.last_metrics: dict[str, float] = {}
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
        decay = self.model.ema_decay if cfg.ema_decay is None else cfg.ema_decay
        self.ema = EMA(self.model, decay) if decay else None
        self.batches = Batches(self.train_data, cfg.batch_size, cfg.seed, distributed.rank(),
                               distributed.world_size(), cfg.num_workers)
        self.metrics = MetricsLog(self.run_dir)
        self._amp_dtype = self._pick_amp_dtype()
        self.scaler = torch.amp.GradScaler("cuda", enabled=self._amp_dtype == torch.float16)
        self.optimizers = Optimizers(
            self.model.configure_optimizer(cfg.lr, cfg.weight_decay, cfg.betas), cfg,
            self.scaler, sync_gradients=manual)
        if self.resume:
            self._restore()
        elif checkpoint.latest_checkpoint(self.run_dir) is not None:
            raise UserError(f"{self.run_dir} already holds a training run; pass --resume to "
                            "continue it or choose another --out.")
        self.wrapped: nn.Module = _StepModule(self.model)
        if distributed.world_size() > 1 and not manual:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.wrapped = nn.parallel.DistributedDataParallel(self.wrapped, device_ids=ids)

    def _pick_amp_dtype(self) -> torch.dtype | None:
        if not (self.config.amp and self.device.type == "cuda"):
            return None
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16

    def _restore(self) -> None:
        folder = checkpoint.latest_checkpoint(self.run_dir)
        if folder is None:
            raise UserError(f"nothing to resume in {self.run_dir}: it has no checkpoints yet.")
        state = checkpoint.read_training_state(folder)
        saved = checkpoint.read_weights(folder)
        checkpoint.load_weights(self.model, state["model"] or saved, source=folder)
        if self.ema is not None and state.get("ema"):
            self.ema.load_state_dict(state["ema"], saved)
        self.optimizers.load_state_dict(state["optimizers"])
        if state.get("scaler"):
            self.scaler.load_state_dict(state["scaler"])
        self.step = state["step"]
        self.batches.load_state_dict(state["batches"])
        rngs = state["rng"]
        set_rng_state(rngs[distributed.rank() % len(rngs)])
        if distributed.is_main():
            self.metrics.truncate_after(self.step)

    # The loop --------------------------------------------------------------------------------
    def fit(self) -> TrainResult:
        """Train until --steps, the --minutes budget or a stop request; save and report."""
        self._owns_group = False
        try:
            self._setup()
            stopped_by = self._loop()
            distributed.barrier()
            world = distributed.world_size()
        finally:
            if self._owns_group:
                torch.distributed.destroy_process_group()
        final = checkpoint.checkpoint_dir(self.run_dir, self.step)
        return TrainResult(self.step, stopped_by, final, dict(self.last_metrics), world)

    def _loop(self) -> str:
        cfg, started, first_step = self.config, time.monotonic(), self.step
        stopped_by = "steps"
        batch_iter = iter(self.batches)
        sums: dict[str, float] = {}
        with self._signals_handled(), Progress(cfg.steps, self.step, self.model.kind,
                                               enabled=distributed.is_main()) as progress:
            while self.step < cfg.steps:
                losses = self._optimizer_step(batch_iter)
                self.step += 1
                sums = {k: sums.get(k, 0.0) + v for k, v in losses.items()}
                progress.update(self.step, losses)
                if self.step % cfg.log_every == 0 or self.step == cfg.steps:
                    self._log(sums, started)
                    sums = {}
                if cfg.eval_every and self.step % cfg.eval_every == 0:
                    self._validate()
                if self.step % cfg.save_every == 0:
                    self._save()
                spent = time.monotonic() - started
                out_of_time = cfg.minutes is not None and spent > cfg.minutes * 60
                if distributed.any_rank(self._stop_requested.is_set() or out_of_time, self.device):
                    stopped_by = "signal" if self._stop_requested.is_set() else "minutes"
                    break
        if self.step == first_step:  # resumed a run that had already reached --steps
            return stopped_by
        if sums:
            self._log(sums, started)
        if not cfg.eval_every or self.step % cfg.eval_every:
            self._validate()
        if self.step % cfg.save_every:
            self._save()
        return stopped_by

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

    def _log(self, sums: dict[str, float], started: float) -> None:
        count = self.step % self.config.log_every or self.config.log_every
        means = {k: v / count for k, v in sums.items()}
        self.last_metrics.update(means)
        if distributed.is_main():
            lr = self.optimizers.lr()
            self.metrics.append({"step": self.step, "time": round(time.monotonic() - started, 3),
                                 "lr": lr, **means})

    @torch.no_grad()
    def _validate(self) -> None:
        if self.val_data is None or not distributed.is_main():
            return
        self.model.eval()
        totals: dict[str, float] = {}
        loader = DataLoader(self.val_data, batch_size=self.config.batch_size, shuffle=False,
                            collate_fn=collate_for(self.val_data))
        for batch in loader:
            for name, value in self.model.validation_step(to_device(batch, self.device)).items():
                totals[name] = totals.get(name, 0.0) + value
        self.model.train()
        means = {f"val_{k}": v / len(loader) for k, v in totals.items()}
        self.last_metrics.update(means)
        self.metrics.append({"step": self.step, **means})

    # Saving ----------------------------------------------------------------------------------
    def _save(self) -> None:
        rngs = distributed.gather_states(rng_state())
        if distributed.is_main():
            self._write_checkpoint(rngs)
        distributed.barrier()

    def _write_checkpoint(self, rngs: list[dict[str, Any]]) -> None:
        state = {
            "step": self.step,
            "optimizers": self.optimizers.state_dict(),
            "batches": self.batches.state_dict(),
            "rng": rngs,
            "ema": self.ema.state_dict() if self.ema else None,
            "model": self.model.state_dict() if self.ema else None,
            "scaler": self.scaler.state_dict() if self.scaler.is_enabled() else None,
            "train_config": self.config.to_dict(),
        }
        card = training_card(self.model, self.config, self.step, self.last_metrics, self.data_note)
        weights = self.ema.shadow if self.ema else None
        target = checkpoint.checkpoint_dir(self.run_dir, self.step)
        checkpoint.save(self.model, target, card=card, weights=weights, training_state=state)
        for old in checkpoint.list_checkpoints(self.run_dir)[: -self.config.keep_checkpoints]:
            shutil.rmtree(old, ignore_errors=True)

    @contextlib.contextmanager
    def _signals_handled(self):
        """Ctrl-C / SIGTERM: save and stop after the current step; a second Ctrl-C aborts."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handle(signum, frame):
            if self._stop_requested.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            self._stop_requested.set()

        previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)

