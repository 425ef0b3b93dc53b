"""The pix2pix U-Net (Isola et al. 2017): 4x4 stride-2 convs down to 1x1 at 256 px ("U-Net
256" has 8 of them), transposed convs up, each level's encoder output joined to its decoder
input; dropout in the three innermost decoder levels is pix2pix's only noise.

`upsample="resize"` replaces each 4x4 stride-2 transposed conv by a bilinear 2x resize and a
3x3 conv (Odena et al. 2016, "Deconvolution and checkerboard artifacts"): a transposed conv
whose kernel is not a multiple of its stride paints uneven grids that short trainings never
unlearn.
"""

from collections.abc import Callable

import torch
from torch import nn

from artforge.image.pix2pix.networks import uses_bias

UPSAMPLES = ("transpose", "resize")


def _up_conv(in_nc: int, out_nc: int, upsample: str, bias: bool) -> list[nn.Module]:
    """Layers that double the side and map in_nc to out_nc channels."""
    if upsample == "resize":
        return [nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
                nn.Conv2d(in_nc, out_nc, 3, 1, 1, bias=bias)]
    return [nn.ConvTranspose2d(in_nc, out_nc, 4, 2, 1, bias=bias)]


class UNetLevel(nn.Module):
    """One level: down, the inner levels (if any), up; the input rides around it."""

    def __init__(self, outer: int, inner: int, norm: Callable[[int], nn.Module],
                 inside: "UNetLevel | None", *, input_nc: int | None = None,
                 outermost: bool = False, dropout: float = 0.0,
                 upsample: str = "transpose") -> None:
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
            up += [*_up_conv(up_in, outer, upsample, True), nn.Tanh()]
        else:
            up += [*_up_conv(up_in, outer, upsample, bias), norm(outer)]
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
                 norm: Callable[[int], nn.Module] = nn.BatchNorm2d, dropout: float = 0.5,
                 upsample: str = "transpose") -> None:
        super().__init__()
        if downs < 5:
            raise ValueError("a U-Net needs at least 5 downsamplings")
        if upsample not in UPSAMPLES:
            raise ValueError(f"unknown upsample {upsample!r}; known: {', '.join(UPSAMPLES)}")
        self.multiple = 2**downs
        level = UNetLevel(8 * ngf, 8 * ngf, norm, None, upsample=upsample)
        for _ in range(downs - 5):
            level = UNetLevel(8 * ngf, 8 * ngf, norm, level, dropout=dropout, upsample=upsample)
        for mult in (4, 2, 1):
            level = UNetLevel(mult * ngf, 2 * mult * ngf, norm, level, upsample=upsample)
        self.net = UNetLevel(output_nc, ngf, norm, level, input_nc=input_nc, outermost=True,
                             upsample=upsample)

    def forward(self, sketch: torch.Tensor) -> torch.Tensor:
        return self.net(sketch)
