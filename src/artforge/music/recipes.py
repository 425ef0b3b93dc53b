"""How artforge trains its music models: one recipe per kind, used by the command line, the
studio and the demo (each may override a field, e.g. the demo's minute-long runs), and the
studio's sizes of model."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from artforge.core.medium import Report
from artforge.core.train_config import TrainConfig

if TYPE_CHECKING:
    from artforge.core.trainer import TrainResult

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


MUSIC_SIZES: dict[str, dict[str, Any]] = {
    "test": dict(embed=16, hidden=32, layers=1, context=64),
    "small": dict(hidden=128, layers=2, context=128), "medium": {},
    "large": dict(hidden=512, layers=3, context=512)}
"""The studio's sizes of LSTM (MusicConfig fields)."""
MELODY_SIZES: dict[str, dict[str, Any]] = {
    "test": dict(latent=8, embed=8, encoder_hidden=16, conductor_hidden=16, decoder_hidden=16),
    "small": {}, "medium": dict(encoder_hidden=512, conductor_hidden=512, decoder_hidden=512),
    "large": dict(latent=256, encoder_hidden=1024, conductor_hidden=1024, decoder_hidden=1024,
                  decoder_layers=2)}
"""The studio's sizes of melody VAE (MelodyVAEConfig fields)."""
BAND_SIZES: dict[str, dict[str, Any]] = {
    "test": dict(width=16, layers=1, heads=2), "small": {},
    "medium": dict(width=192, layers=4), "large": dict(width=256, layers=6)}
"""The studio's sizes of band Transformer (TransformerBandConfig fields)."""


def fit_music(data: str, run: Path, config: TrainConfig, size: str, *, resume: bool = False,
              report: Report = None) -> "TrainResult":
    """Train an LSTM of `size` (MUSIC_SIZES) on `data` into the run folder `run`."""
    from artforge.music.model import MusicConfig
    from artforge.music.train import train_music

    return train_music(data, run, config, model_config=MusicConfig(**MUSIC_SIZES[size]),
                       resume=resume).result


def fit_melody(data: str, run: Path, config: TrainConfig, size: str, *, resume: bool = False,
               report: Report = None) -> "TrainResult":
    """Train a melody VAE of `size` (MELODY_SIZES) on `data` into the run folder `run`."""
    from artforge.music.vae.model import MelodyVAEConfig
    from artforge.music.vae.train import train_vae

    return train_vae(data, run, config, model_config=MelodyVAEConfig(**MELODY_SIZES[size]),
                     resume=resume).result


def fit_band(data: str, run: Path, config: TrainConfig, size: str, *, resume: bool = False,
             report: Report = None) -> "TrainResult":
    """Train a band Transformer of `size` (BAND_SIZES) on `data` into the run folder `run`."""
    from artforge.music.band.model import TransformerBandConfig
    from artforge.music.band.train import train_band

    return train_band(data, run, config,
                      model_config=TransformerBandConfig(**BAND_SIZES[size]),
                      resume=resume).result


def preview_music(checkpoint: Path, out: Path, seed: int) -> list[str]:
    """Four bars of what a new model plays, heard and seen (out/preview.wav, .png)."""
    from artforge.music.pipeline import generate_music

    generate_music(checkpoint, out / "preview.mid", bars=4, seed=seed, wav=True, png=True,
                   catalog=False)
    return ["preview.png", "preview.wav"]
