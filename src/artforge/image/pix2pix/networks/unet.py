"""The pix2pix U-Net (Isola et al. 2017): 4x4 stride-2 convs down to 1x1 at 256 px ("U-Net
256" has 8 of them), transposed convs up, each level's encoder output joined to its decoder
input; dropout in the three innermost decoder levels is pix2pix's only noise."""

from collections.abc import Callable

import torch
from torch import nn

from artforge.image.pix2pix.networks import uses_bias


class UNetLevel(nn.Module):
    """One level: down, the inner levels (if any), up; the input rides around it."""

    def __init__(self, outer: int, inner: int, norm: Callable[[int], nn.Module],
                 inside: "UNetLevel | None", *, input_nc: int | None = None,
                 outermost: bool = False, dropout: float = 0.0) -> None:
        super().__init__()
        bias = uses_bias(norm)
        innermost = inside is None
        self.outermost = outermost
        down: list[nn.Module] = [] if outermost else [nn.LeakyReLU(0.2, True)]
        down.append(nn.Conv2d(input_nc or outer, inner, 4, 2, 1, bias=bias))
        if not (outermost or innermost):
            down.append(norm(inner))
        up_in = inner if innermost else 2 * inner
        up: list[nn.Module] = [nn.ReLU(True)]
        if outermost:
            up += [nn.ConvTranspose2d(up_in, outer, 4, 2, 1), nn.Tanh()]
        else:
            up += [nn.ConvTranspose2d(up_in, outer, 4, 2, 1, bias=bias), norm(outer)]
            if dropout:
                up.append(nn.Dropout(dropout))
        self.down, self.inside, self.up = nn.Sequential(*down), inside, nn.Sequential(*up)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.down(x)
        if self.inside is not None:
            y = self.inside(y)
        y = self.up(y)
        return y if self.outermost else torch.cat([x, y], dim=1)


class UNetGenerator(nn.Module):
    """Sides must be multiples of 2**downs. Channels: ngf, 2ngf, 4ngf, then 8ngf."""

    def __init__(self, input_nc: int, output_nc: int, downs: int = 8, ngf: int = 64,
                 norm: Callable[[int], nn.Module] = nn.BatchNorm2d, dropout: float = 0.5
                 ) -> None:
        super().__init__()
        if downs < 5:
            raise ValueError("a U-Net needs at least 5 downsamplings")
        self.multiple = 2**downs
        level = UNetLevel(8 * ngf, 8 * ngf, norm, None)
        for _ in range(downs - 5):
            level = UNetLevel(8 * ngf, 8 * ngf, norm, level, dropout=dropout)
        for mult in (4, 2, 1):
            level = UNetLevel(mult * ngf, 2 * mult * ngf, norm, level)
        self.net = UNetLevel(output_nc, ngf, norm, level, input_nc=input_nc, outermost=True)

    def forward(self, sketch: torch.Tensor) -> torch.Tensor:
        return self.net(sketch)
