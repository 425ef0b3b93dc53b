"""How the studio trains pictures: the GAN and pix2pix recipes (artforge.image.gan.train,
artforge.image.pix2pix.train) with the studio's sizes of model. The bodies import the
training modules, so reading this costs no torch import."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from artforge.core.medium import Report

if TYPE_CHECKING:
    from artforge.core.train_config import TrainConfig
    from artforge.core.trainer import TrainResult

GAN_SIZES: dict[str, dict[str, Any]] = {
    "test": dict(size=16, channels=8, z_dim=32), "small": dict(size=32),
    "medium": dict(size=64), "large": dict(size=128)}
"""The studio's sizes of DCGAN (GANConfig fields)."""
SKETCH_SIZES: dict[str, dict[str, Any]] = {
    "test": dict(size=32, ngf=8, ndf=8), "small": dict(size=128), "medium": dict(size=256),
    "large": dict(size=256, ngf=64, ndf=64)}
"""The studio's sizes of pix2pix (Pix2PixConfig fields)."""
SKETCH_BATCH = 4
"""pix2pix trains on batches of 4 whatever else asks: 256-pixel pairs are heavy on a CPU."""


def gan_config(**overrides: Any) -> "TrainConfig":
    from artforge.image.gan.train import gan_train_config

    return gan_train_config(**overrides)


def sketch_config(**overrides: Any) -> "TrainConfig":
    from artforge.image.pix2pix.train import pix2pix_train_config

    return pix2pix_train_config(**{**overrides, "batch_size": SKETCH_BATCH})


def fit_gan(data: str, run: Path, config: "TrainConfig", size: str, *, resume: bool = False,
            report: Report = None) -> "TrainResult":
    """Train a DCGAN of `size` (GAN_SIZES) on `data` into the run folder `run`; its sample
    grids are written in run/samples as it trains."""
    from artforge.image.gan.model import GANConfig
    from artforge.image.gan.train import train_gan

    return train_gan(data, run, config, "dcgan", GANConfig(**GAN_SIZES[size]), resume=resume)


def fit_sketch(data: str, run: Path, config: "TrainConfig", size: str, *,
               resume: bool = False, report: Report = None) -> "TrainResult":
    """Train a pix2pix of `size` (SKETCH_SIZES) on `data` into the run folder `run`."""
    from artforge.image.pix2pix.architectures import Pix2PixConfig
    from artforge.image.pix2pix.train import train_pix2pix

    return train_pix2pix(data, run, config, "pix2pix", Pix2PixConfig(**SKETCH_SIZES[size]),
                         resume=resume)
