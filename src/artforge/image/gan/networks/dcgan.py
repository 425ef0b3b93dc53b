"""DCGAN (Radford et al. 2016): transposed convolutions with batch norm up, strided convs down."""

import torch
from torch import nn

from artforge.image.gan.networks import channels_at, cpu_channels_last, resolution_steps


class DCGANGenerator(nn.Module):
    """Its maps keep the default layout. Channels-last would take 1-3% off a training step on a
    CPU, but batch norm then sums its batch statistics in another order, and the standing
    statistics of the shipped models (GANModel.refresh_batch_norm) move with them: 0.1-0.25%
    of their sample values by one level, and catalogued works would no longer reproduce."""

    def __init__(self, z_dim: int, size: int, base: int, most: int) -> None:
        super().__init__()
        steps = resolution_steps(size, "dcgan")
        self.z_dim = z_dim
        first = channels_at(4, size, base, most)
        layers: list[nn.Module] = [nn.ConvTranspose2d(z_dim, first, 4, 1, 0, bias=False),
                                   nn.BatchNorm2d(first), nn.ReLU(True)]
        resolution, channels = 4, first
        for _ in range(steps - 1):
            resolution *= 2
            out = channels_at(resolution, size, base, most)
            layers += [nn.ConvTranspose2d(channels, out, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(out), nn.ReLU(True)]
            channels = out
        layers += [nn.ConvTranspose2d(channels, 3, 4, 2, 1), nn.Tanh()]
        self.net = nn.Sequential(*layers)
        _init_dcgan(self)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z[:, :, None, None])


class DCGANDiscriminator(nn.Module):
    """Reads the pictures channels-last on a CPU, as DiffAugment's translation leaves them:
    without it (no augmentation, or ADA at strength 0) that takes ~6% off a training step."""

    def __init__(self, size: int, base: int, most: int, batch_norm: bool = True) -> None:
        super().__init__()
        steps = resolution_steps(size, "dcgan")
        resolution, channels = size // 2, channels_at(size // 2, size, base, most)
        layers: list[nn.Module] = [nn.Conv2d(3, channels, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        for _ in range(steps - 1):
            resolution //= 2
            out = channels_at(resolution, size, base, most)
            norm = nn.BatchNorm2d(out) if batch_norm else nn.Identity()
            layers += [nn.Conv2d(channels, out, 4, 2, 1, bias=not batch_norm), norm,
                       nn.LeakyReLU(0.2, True)]
            channels = out
        layers += [nn.Conv2d(channels, 1, 4, 1, 0)]
        self.net = nn.Sequential(*layers)
        _init_dcgan(self)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(cpu_channels_last(images)).flatten()


def _init_dcgan(module: nn.Module) -> None:
    """The paper's initialisation: N(0, 0.02) weights, BN scales N(1, 0.02)."""
    for layer in module.modules():
        if isinstance(layer, nn.Conv2d | nn.ConvTranspose2d):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm2d):
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)
