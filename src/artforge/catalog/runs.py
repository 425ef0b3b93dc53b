"""The catalog row of a training run: opened before training, closed with its outcome."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from artforge.core import distributed

if TYPE_CHECKING:
    from artforge.core.trainer import Trainer, TrainResult


class RunRecord:
    """Only the main process writes; `enabled=False` (tests, library use) writes nothing."""

    def __init__(self, kind: str, params: dict[str, Any], seed: int, out: Path,
                 enabled: bool = True) -> None:
        self.run_id: int | None = None
        if enabled and distributed.is_main():
            from artforge.catalog import records
            from artforge.core.card import invoking_command

            self.run_id = records.record_run(kind, invoking_command(), params, seed, str(out))

    def fit(self, trainer: "Trainer") -> "TrainResult":
        """Run `trainer.fit()`, closing the row as it ends: with the model it saved, or failed."""
        try:
            result = trainer.fit()
        except BaseException:
            self.failed()
            raise
        self.finished(result.stopped_by, result.metrics, result.checkpoint, trainer.model.kind,
                      trainer.model.config.to_dict())
        return result

    def failed(self) -> None:
        self._finish("failed", {})

    def finished(self, status: str, metrics: dict[str, float], folder: Path, model_kind: str,
                 config: dict[str, Any]) -> None:
        """Close the row with how training stopped, and record the model it saved."""
        self._finish(status, metrics)
        if self.run_id is not None:
            from artforge.catalog import records

            records.record_model(self.run_id, str(folder), model_kind, config)

    def _finish(self, status: str, metrics: dict[str, float]) -> None:
        if self.run_id is not None:
            from artforge.catalog import records

            records.finish_run(self.run_id, status, metrics)
