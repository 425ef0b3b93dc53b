"""The networks of image-to-image translation: U-Net, PatchGAN, Pix2PixHD. No file I/O here."""

import functools
from collections.abc import Callable

from torch import nn

NORMS = ("instance", "batch")


def norm_layer(name: str) -> Callable[[int], nn.Module]:
    """Instance norm without learned scale (pix2pix's "instance"), or batch norm."""
    if name == "instance":
        return functools.partial(nn.InstanceNorm2d, affine=False, track_running_stats=False)
    if name == "batch":
        return nn.BatchNorm2d
    raise ValueError(f"unknown norm {name!r}; known: {', '.join(NORMS)}")


def uses_bias(norm: Callable[[int], nn.Module]) -> bool:
    """A conv before batch norm needs no bias (the norm's shift replaces it); before instance
    norm without affine parameters it is also cancelled, but pix2pix keeps it there."""
    return norm is not nn.BatchNorm2d
