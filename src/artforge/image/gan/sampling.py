"""Images from a trained GAN: seeded latents, grids, latent walks. No catalog here (pipeline.py).

Latents come from a private torch.Generator and the global RNG is forked around the
networks (StyleGAN's noise inputs), so sampling never disturbs a training run and the same
seed gives the same pictures.
"""

import math
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from artforge.image.gan.model import GANModel


def seeded_latents(model: GANModel, n: int, seed: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, model.config.z_dim, generator=generator)


@torch.no_grad()
def generate(model: GANModel, z: torch.Tensor, seed: int, truncation: float = 1.0,
             batch: int = 64, **options: Any) -> torch.Tensor:
    """(N, 3, H, W) images in [0, 1] for latents `z`, computed in batches."""
    device = next(model.parameters()).device
    parts = []
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for start in range(0, len(z), batch):
            chunk = z[start:start + batch].to(device)
            extra = {k: v[start:start + batch].to(device) if isinstance(v, torch.Tensor) else v
                     for k, v in options.items()}
            parts.append(model.generate(chunk, truncation, **extra).float().cpu())
    return (torch.cat(parts).clamp(-1, 1) + 1) / 2


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """(N, 3, H, W) in [0, 1] -> (N, H, W, 3) uint8."""
    return (images.permute(0, 2, 3, 1).numpy() * 255).round().astype(np.uint8)


def grid_image(images: torch.Tensor, columns: int | None = None, gap: int = 2) -> Image.Image:
    """Tile images (in [0, 1]) into one picture with a thin white gap between them."""
    n, _, h, w = images.shape
    columns = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    sheet = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap, 3), 255, np.uint8)
    for index, tile in enumerate(to_uint8(images)):
        r, c = divmod(index, columns)
        sheet[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = tile
    return Image.fromarray(sheet, "RGB")


def sample_grid(model: GANModel, n: int, seed: int, truncation: float = 1.0,
                **options: Any) -> Image.Image:
    return grid_image(generate(model, seeded_latents(model, n, seed), seed, truncation,
                               **options))


def save_grid_png(model: GANModel, path: Path, n: int, seed: int,
                  provenance: dict[str, Any]) -> Path:
    from artforge.catalog.provenance import save_png

    return save_png(sample_grid(model, n, seed), path, {"seed": seed, **provenance})


def slerp(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    """Spherical interpolation: Gaussian latents keep their typical length along the way."""
    cos = (a * b).sum(-1, keepdim=True) / (a.norm(dim=-1, keepdim=True)
                                           * b.norm(dim=-1, keepdim=True))
    omega = torch.acos(cos.clamp(-1 + 1e-7, 1 - 1e-7))
    so = torch.sin(omega)
    return torch.sin((1 - t) * omega) / so * a + torch.sin(t * omega) / so * b


def latent_walk(model: GANModel, seed: int, keyframes: int, frames_between: int,
                truncation: float = 1.0) -> list[np.ndarray]:
    """Frames of a loop through `keyframes` seeded latents, as (H, W, 3) uint8 arrays."""
    keys = seeded_latents(model, keyframes, seed)
    path = [slerp(keys[i:i + 1], keys[(i + 1) % keyframes:(i + 1) % keyframes + 1],
                  step / frames_between)
            for i in range(keyframes) for step in range(frames_between)]
    return list(to_uint8(generate(model, torch.cat(path), seed, truncation)))
