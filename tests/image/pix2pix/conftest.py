"""Tiny paired folders and the tiniest translation models for the pix2pix tests."""

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from artforge.image.pix2pix.architectures import Pix2PixConfig, Pix2PixHDConfig
from artforge.image.sketch.methods import SketchConfig

TINY_PIX2PIX = Pix2PixConfig(size=32, ngf=4, ndf=4, downs=5, holdout=0.25,
                             sketch=SketchConfig(method="xdog"))
TINY_HD = Pix2PixHDConfig(size=32, ngf=4, ndf=4, n_downsampling=2, n_blocks=1, d_layers=2,
                          vgg_weight=0.0, holdout=0.25, sketch=SketchConfig(method="xdog"))


def picture(seed: int, size: tuple[int, int] = (72, 64)) -> np.ndarray:
    """A few coloured rectangles on a coloured ground: edges to draw, colours to learn."""
    rng = np.random.default_rng(seed)
    width, height = size
    pixels = np.empty((height, width, 3), np.uint8)
    pixels[:] = rng.integers(0, 256, 3)
    for _ in range(3):
        top, left = rng.integers(0, height - 16), rng.integers(0, width - 16)
        pixels[top:top + 16, left:left + 20] = rng.integers(0, 256, 3)
    return pixels


@pytest.fixture
def painting_folder(tmp_path):
    """Four 72x64 pictures, a text file and a picture too small for 32-pixel crops."""
    root = tmp_path / "paintings"
    root.mkdir()
    for index in range(4):
        Image.fromarray(picture(index)).save(root / f"p{index}.png")
    (root / "notes.txt").write_text("not a picture")
    Image.new("RGB", (20, 20), "red").save(root / "small.png")
    return root


@pytest.fixture
def paired_folder(tmp_path):
    """A/ and B/ with four pairs of matching names: B a picture, A its grey version."""
    root = tmp_path / "pairs"
    (root / "A").mkdir(parents=True)
    (root / "B").mkdir()
    for index in range(4):
        rgb = picture(index)
        Image.fromarray(rgb).save(root / "B" / f"x{index}.png")
        Image.fromarray(rgb).convert("L").save(root / "A" / f"x{index}.jpg")
    return root


def trains_and_resumes_bit_for_bit(data: Path, out: Path, config) -> dict[str, torch.Tensor]:
    """Train `config` 2 steps into out/run, and 1 step then 1 more resumed into out/half;
    assert both end with the same weights, and return them."""
    from artforge.core import checkpoint
    from artforge.image.pix2pix.train import pix2pix_train_config, train_pix2pix

    train = pix2pix_train_config(steps=2, batch_size=2, save_every=1, log_every=1,
                                 device="cpu", seed=0)
    train_pix2pix(str(data), out / "run", train, "pix2pix", config, catalog=False)
    train_pix2pix(str(data), out / "half", train.replace(steps=1), "pix2pix", config,
                  catalog=False)
    train_pix2pix(str(data), out / "half", train, "pix2pix", config, resume=True, catalog=False)
    straight = checkpoint.read_weights(checkpoint.resolve(out / "run"))
    resumed = checkpoint.read_weights(checkpoint.resolve(out / "half"))
    assert all(torch.equal(straight[k], resumed[k]) for k in straight)
    return straight
