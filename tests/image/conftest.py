"""Tiny image folders and GAN configs for the image tests."""

import numpy as np
import pytest
import torch
from PIL import Image

from artforge.image.gan.model import GANConfig

TINY_GAN = GANConfig(size=16, z_dim=8, channels=4, max_channels=16, w_dim=8, mapping_layers=2)


@pytest.fixture
def picture_folder(tmp_path):
    """Six 24x20 pictures in nested folders, plus a text file, a broken JPEG and a tiny PNG."""
    root = tmp_path / "pictures"
    rng = np.random.default_rng(0)
    for index in range(6):
        folder = root / ("a" if index % 2 else "b/c")
        folder.mkdir(parents=True, exist_ok=True)
        pixels = rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / f"p{index}.{'png' if index % 3 else 'jpg'}")
    (root / "notes.txt").write_text("not a picture")
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    Image.new("RGB", (8, 8), "red").save(root / "tiny.png")
    return root


def assert_one_step_from(model: torch.nn.Module, start: dict[str, torch.Tensor], lr: float,
                         fresh: torch.nn.Module) -> None:
    """`model` made one Adam step at `lr` from the weights `start`: every generator and
    discriminator weight moved, none by more than about `lr`; `fresh` (a new network of the
    same config, built under seed 0) is far from `start`."""
    after = model.state_dict()
    parameters = [name for name, _ in model.named_parameters()]
    moved = {part: max(float((after[k] - start[k]).abs().max()) for k in parameters
                       if k.startswith(part)) for part in ("generator.", "discriminator.")}
    assert all(0 < value <= 1.01 * lr for value in moved.values()), moved
    new = fresh.state_dict()
    assert max(float((new[k] - start[k]).abs().max()) for k in parameters) > 100 * lr
