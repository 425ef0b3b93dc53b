"""Pictures as tensors, and finished works saved as PNGs with provenance and a catalog row."""

from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from artforge.data.pictures import from_array, to_array

MEDIUM = "style"


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


def check_out(out: Path, suffixes: tuple[str, ...] = (".png",)) -> Path:
    from artforge.errors import UserError

    out = Path(out)
    if out.suffix.lower() not in suffixes:
        raise UserError(f"--out must end in {' or '.join(suffixes)}, not {out.name}.")
    if out.is_dir():
        raise UserError(f"--out {out} is a folder; give a file name.")
    return out


def save_work(picture: Image.Image, out: Path, pipeline: str, params: dict[str, Any],
              seed: int, *, model_path: Path | None = None, catalog: bool = True) -> Path:
    """Write `picture` atomically as a PNG carrying its provenance; record it as a work."""
    from artforge.catalog.provenance import save_png
    from artforge.core.card import invoking_command
    from artforge.core.versions import package_versions

    provenance: dict[str, Any] = {"pipeline": pipeline, "params": params, "seed": seed,
                                  "versions": package_versions()}
    if model_path is not None:
        from artforge.core.checkpoint import folder_hash

        provenance.update(model=str(model_path), model_hash=folder_hash(model_path))
    save_png(picture, Path(out), provenance)
    if catalog:
        from artforge.catalog.records import record_work

        record_work(MEDIUM, pipeline, params, seed, Path(out), model_path=model_path,
                    command=invoking_command())
    return Path(out)
