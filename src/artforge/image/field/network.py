"""A coordinate network: (x, y) in [-1, 1]² → RGB in [0, 1], through random Fourier features."""

import math

import torch
from torch import nn


class FourierFieldNet(nn.Module):
    """Tancik et al. (2020): Gaussian Fourier features let an MLP fit fine detail."""

    def __init__(self, hidden: int = 256, layers: int = 3, features: int = 128,
                 scale: float = 10.0, seed: int = 0) -> None:
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.register_buffer("frequencies", torch.randn(2, features, generator=generator) * scale)
        blocks: list[nn.Module] = []
        width = 2 * features
        for _ in range(layers):
            blocks += [nn.Linear(width, hidden), nn.ReLU()]
            width = hidden
        blocks.append(nn.Linear(width, 3))
        self.mlp = nn.Sequential(*blocks)

    def forward(self, coords: torch.Tensor) -> torch.Tensor:
        angles = 2 * math.pi * coords @ self.frequencies
        return torch.sigmoid(self.mlp(torch.cat([angles.sin(), angles.cos()], dim=-1)))


def grid(height: int, width: int) -> torch.Tensor:
    """Pixel-centre coordinates of an image, shape (height * width, 2), as (x, y)."""
    ys = (torch.arange(height, dtype=torch.float32) + 0.5) / height * 2 - 1
    xs = (torch.arange(width, dtype=torch.float32) + 0.5) / width * 2 - 1
    yy, xx = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([xx, yy], dim=-1).reshape(-1, 2)
