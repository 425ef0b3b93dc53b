"""A training run's checkpoints: what the Trainer saves, and puts back on --resume.

A save holds the weights (the EMA's average when there is one), a card, and the training state
that lets a resumed run go on bit for bit: the step, optimizers and schedules, the data order,
every rank's random state, the EMA and the AMP scaler. Only rank 0 writes; every rank reads.
"""

from pathlib import Path
from typing import Any

import torch

from artforge.core import checkpoint, distributed
from artforge.core.batches import Batches
from artforge.core.card import training_card
from artforge.core.ema import EMA
from artforge.core.metrics_log import MetricsLog
from artforge.core.model import ArtModel
from artforge.core.optimizers import Optimizers
from artforge.core.seeding import rng_state, set_rng_state
from artforge.core.train_config import TrainConfig
from artforge.errors import UserError


class RunCheckpoints:
    """The Trainer's saving and resuming, kept apart from its loop. A mixin: it works on the
    Trainer's attributes below, which `Trainer.__init__` and `Trainer._setup` set."""

    model: ArtModel
    config: TrainConfig
    run_dir: Path
    resume: bool
    data_note: str
    step: int
    last_metrics: dict[str, float]
    optimizers: Optimizers
    scaler: torch.amp.GradScaler
    batches: Batches
    metrics: MetricsLog
    ema: EMA | None

    # Resuming --------------------------------------------------------------------------------
    def _restore_or_start(self) -> tuple[dict[str, Any], dict[str, torch.Tensor]] | None:
        """With --resume, the restored training state and saved weights; else None, after
        checking that the run folder holds no run that a fresh start would mix with."""
        saved = self._restore() if self.resume else None
        if saved is None and checkpoint.latest_checkpoint(self.run_dir) is not None:
            raise UserError(f"{self.run_dir} already holds a training run; pass --resume to "
                            "continue it or choose another --out.")
        return saved

    def _restore(self) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
        """Load the newest checkpoint; return its training state and its saved weights."""
        folder = checkpoint.latest_checkpoint(self.run_dir)
        if folder is None:
            raise UserError(f"nothing to resume in {self.run_dir}: it has no checkpoints yet.")
        state = checkpoint.read_training_state(folder)
        self._check_same_run(state)
        saved = checkpoint.read_weights(folder)
        checkpoint.load_weights(self.model, state["model"] or saved, source=folder)
        self.optimizers.load_state_dict(state["optimizers"])
        if state.get("scaler"):
            self.scaler.load_state_dict(state["scaler"])
        self.step = state["step"]
        self.batches.load_state_dict(state["batches"])
        rngs = state["rng"]
        set_rng_state(rngs[distributed.rank() % len(rngs)])
        if distributed.is_main():
            self.metrics.truncate_after(self.step)
        return state, saved

    def _check_same_run(self, state: dict[str, Any]) -> None:
        """Resuming must continue the same data with the same number of processes."""
        old_note, old_world = state.get("data_note", ""), state.get("world_size", 1)
        if old_note and self.data_note and old_note != self.data_note:
            raise UserError(f"{self.run_dir} was trained on {old_note}, not {self.data_note}; "
                            "choose another --out for a new run.")
        if old_world != distributed.world_size():
            raise UserError(f"{self.run_dir} was trained by {old_world} process(es); resume it "
                            f"with the same number (torchrun --nproc_per_node={old_world}).")

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
            "data_note": self.data_note,
            "world_size": distributed.world_size(),
        }
        card = training_card(self.model, self.config, self.step, self.last_metrics, self.data_note)
        weights = self.ema.shadow if self.ema else None
        target = checkpoint.checkpoint_dir(self.run_dir, self.step)
        checkpoint.save(self.model, target, card=card, weights=weights, training_state=state)
        self.model.on_checkpoint(target, self.model.state_dict() if weights is None else weights)
        checkpoint.prune(self.run_dir, self.config.keep_checkpoints)
