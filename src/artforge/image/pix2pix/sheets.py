"""Sheets of translations: each row is line art, the model's picture, and the real one."""

from pathlib import Path
from typing import Any

import torch
from PIL import Image

from artforge.image.gan.sampling import grid_image


def as_rgb01(images: torch.Tensor) -> torch.Tensor:
    """(N, 1 or 3, H, W) in [-1, 1] -> (N, 3, H, W) in [0, 1]."""
    images = (images.float().clamp(-1, 1) + 1) / 2
    return images.expand(-1, 3, -1, -1) if images.shape[1] == 1 else images


def triptych_sheet(sketch: torch.Tensor, fake: torch.Tensor, real: torch.Tensor | None
                   ) -> Image.Image:
    """Rows of (line art, translation[, real picture]), all in [-1, 1]."""
    columns = [as_rgb01(sketch), as_rgb01(fake)] + ([as_rgb01(real)] if real is not None else [])
    tiles = torch.stack(columns, dim=1).flatten(0, 1)
    return grid_image(tiles, columns=len(columns))


def save_preview(sketch: torch.Tensor, fake: torch.Tensor, real: torch.Tensor, path: Path,
                 provenance: dict[str, Any]) -> Path:
    from artforge.catalog.provenance import save_png

    return save_png(triptych_sheet(sketch, fake, real), path, provenance)
