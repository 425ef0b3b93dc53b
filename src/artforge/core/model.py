"""The model layer: a network with its config, saved and loaded as one folder."""

from pathlib import Path
from typing import Any, ClassVar, Self

import torch
from torch import nn

from artforge.core.config import Config


class ArtModel(nn.Module):
    """Base class of every registered model.

    Subclasses set `kind` and `config_class`, build their networks from `config`, and fill in
    the training hooks the Trainer calls (`training_step`, optionally `validation_step`).
    """

    kind: ClassVar[str]
    config_class: ClassVar[type[Config]]
    ema_decay: ClassVar[float | None] = None
    """Models that sample better from averaged weights (GANs) set a default EMA decay here."""
    manual_optimization: ClassVar[bool] = False
    """True: `training_step(batch, optimizers)` runs its own backward and optimizer steps
    (see artforge.core.optimizers); `configure_optimizer` then returns a dict by name."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config

    @classmethod
    def from_config(cls, config: Config) -> Self:
        return cls(config)

    # Training hooks -------------------------------------------------------------------------
    def training_step(self, batch: Any, *args: Any) -> dict[str, torch.Tensor]:
        """Return the losses of one batch; the key "loss" is the one minimised.

        With `manual_optimization`, the second argument is the Optimizers to drive, and the
        returned losses are only logged."""
        raise NotImplementedError(f"{type(self).__name__} does not define training_step")

    def validation_step(self, batch: Any) -> dict[str, float]:
        """Return metrics of one validation batch; the Trainer averages them over batches."""
        return {"loss": float(self.training_step(batch)["loss"])}

    def configure_optimizer(self, lr: float, weight_decay: float, betas: tuple[float, float]
                            ) -> torch.optim.Optimizer | dict[str, torch.optim.Optimizer]:
        return torch.optim.AdamW(self.parameters(), lr=lr, weight_decay=weight_decay, betas=betas)

    def on_checkpoint(self, folder: Path, weights: dict[str, torch.Tensor]) -> None:
        """Called by the Trainer (main rank) after it saved `weights` (the EMA ones when EMA is
        on) to `folder`; a GAN writes its fixed-seed sample grid here. Must leave the global
        RNGs alone, so that a resumed run stays bit-for-bit."""

    # Files besides config.json and model.safetensors (tokenizers, preprocessing) ----------
    def extra_files(self) -> dict[str, bytes]:
        return {}

    def load_extra_files(self, folder: Path) -> None:
        """Read what `extra_files` wrote; called after the weights are loaded."""

    # Folder I/O --------------------------------------------------------------------------
    def save(self, folder: Path, card: str = "") -> Path:
        from artforge.core import checkpoint

        return checkpoint.save(self, folder, card=card)

    @classmethod
    def load(cls, folder: Path, device: str | torch.device = "cpu") -> Self:
        from artforge.core import checkpoint

        model = checkpoint.load(folder, device=device)
        if not isinstance(model, cls):
            from artforge.errors import UserError

            raise UserError(f"{folder} holds a {model.kind!r} model, not a {cls.kind!r} one.")
        return model
