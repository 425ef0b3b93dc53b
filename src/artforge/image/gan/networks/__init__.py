"""Generator and discriminator networks, one file per architecture (pure nn.Modules)."""

import math

import torch

from artforge.errors import UserError


def resolution_steps(size: int, arch: str, smallest: int = 16) -> int:
    """How many doublings lead from 4x4 to `size`; the size must be a power of two."""
    if size < smallest or size & (size - 1):
        raise UserError(f"--size must be a power of two of at least {smallest} for {arch} "
                        f"(e.g. 32, 64, 128, 256), not {size}.")
    return int(math.log2(size)) - 2


def channels_at(resolution: int, size: int, base: int, most: int) -> int:
    """Feature maps at `resolution`: `base` at the output size, doubling per halving."""
    return min(most, base * size // resolution)


def cpu_channels_last(x: torch.Tensor) -> torch.Tensor:
    """Feature maps stored channels-last on a CPU, where oneDNN's convolutions, pooling and
    upsampling over these few channels run markedly faster so (benchmarks/gan_step_speed.py).
    Other devices keep their default layout: no measurement here speaks for them."""
    return x.contiguous(memory_format=torch.channels_last) if x.device.type == "cpu" else x
