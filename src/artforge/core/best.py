"""The best validation of a training run, for `patience` (stop after that many checks without
a better loss) and `keep_best` (finish with the weights of the best check)."""

import dataclasses
import math

import torch
from torch import nn


@dataclasses.dataclass
class BestValidation:
    keep_weights: bool
    loss: float = math.inf
    step: int | None = None
    metrics: dict[str, float] = dataclasses.field(default_factory=dict)
    weights: dict[str, torch.Tensor] = dataclasses.field(default_factory=dict)
    """The model's weights at `step` (kept only with keep_weights)."""
    stale: int = 0
    """Checks in a row without a better loss."""

    def offer(self, loss: float | None, step: int, metrics: dict[str, float],
              model: nn.Module) -> None:
        """A validation's result: kept when its loss is the lowest so far."""
        if loss is None or loss >= self.loss:
            self.stale += 1
            return
        self.stale = 0
        self.loss, self.step, self.metrics = loss, step, dict(metrics)
        if self.keep_weights:
            self.weights = {k: v.detach().clone() for k, v in model.state_dict().items()}

    def replaces(self, step: int) -> bool:
        """Whether the weights of `step` should give way to the best ones."""
        return self.keep_weights and self.step is not None and self.step != step
