"""How artforge trains its music models: one recipe per kind, used by the command line, the
studio and the demo (each may override a field, e.g. the demo's minute-long runs)."""

from typing import Any

from artforge.core.train_config import TrainConfig

MUSIC_TRAIN_DEFAULTS: dict[str, Any] = {"steps": 2000, "batch_size": 32, "lr": 2e-3}
"""Token models (LSTM, GRU, Transformer) and the piano-roll model: AdamW at a constant rate."""
MELODY_TRAIN_DEFAULTS: dict[str, Any] = {"steps": 3000, "batch_size": 32, "lr": 3e-3}
"""The melody VAE."""
BAND_TRAIN_DEFAULTS: dict[str, Any] = {"steps": 3000, "batch_size": 8, "lr": 2e-3}
"""Band models: 4-bar passages of several tracks are long, so batches are small."""


def music_train_config(**overrides: Any) -> TrainConfig:
    return TrainConfig(**{**MUSIC_TRAIN_DEFAULTS, **overrides})


def melody_train_config(**overrides: Any) -> TrainConfig:
    return TrainConfig(**{**MELODY_TRAIN_DEFAULTS, **overrides})


def band_train_config(**overrides: Any) -> TrainConfig:
    return TrainConfig(**{**BAND_TRAIN_DEFAULTS, **overrides})
