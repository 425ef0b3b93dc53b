"""Pictures as tensors (finished works are saved by artforge.style.saved_works)."""

import numpy as np
import torch
from PIL import Image

from artforge.data.pictures import from_array, to_array


def to_tensor(picture: Image.Image | np.ndarray) -> torch.Tensor:
    """(1, 3, H, W) float32 in [0, 1] from a picture or an (H, W, 3) array in [0, 1]."""
    pixels = to_array(picture) if isinstance(picture, Image.Image) else picture
    array = np.ascontiguousarray(pixels, dtype=np.float32)
    return torch.from_numpy(array).permute(2, 0, 1)[None].contiguous()


def to_numpy(images: torch.Tensor) -> np.ndarray:
    """(H, W, 3) float32 from the first image of a (B, 3, H, W) tensor."""
    return images[0].detach().float().clamp(0, 1).permute(1, 2, 0).cpu().numpy()


def to_picture(images: torch.Tensor) -> Image.Image:
    return from_array(to_numpy(images))
