"""Pix2PixHD (Wang et al. 2018): the brief's global generator (section 4.1) and the local
enhancer that doubles its resolution.

`Pix2PixHDGenerator(input_nc, output_nc, ngf=64, n_downsampling=3, n_blocks=9,
norm_layer=nn.BatchNorm2d, padding_type='reflect')` is built exactly as the brief lists it
(reflection pad, 7x7 conv, stride-2 downsamplings, residual blocks, transposed-conv
upsampling, tanh) in one `self.model` Sequential, so its weights load into the listing's
class and back. The brief leaves `ResnetBlock` undefined; this is Pix2PixHD's.
"""

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

PADDINGS = ("reflect", "replicate", "zero")


def _padding(padding_type: str, size: int) -> tuple[list[nn.Module], int]:
    """The pad layer before a conv, and the conv's own zero padding."""
    if padding_type == "reflect":
        return [nn.ReflectionPad2d(size)], 0
    if padding_type == "replicate":
        return [nn.ReplicationPad2d(size)], 0
    if padding_type == "zero":
        return [], size
    raise ValueError(f"unknown padding_type {padding_type!r}; known: {', '.join(PADDINGS)}")


class ResnetBlock(nn.Module):
    """x + (pad, 3x3 conv, norm, ReLU, pad, 3x3 conv, norm)(x)."""

    def __init__(self, dim: int, padding_type: str = "reflect",
                 norm_layer: Callable[[int], nn.Module] = nn.BatchNorm2d) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for last in (False, True):
            pad, conv_pad = _padding(padding_type, 1)
            layers += [*pad, nn.Conv2d(dim, dim, 3, padding=conv_pad), norm_layer(dim)]
            if not last:
                layers.append(nn.ReLU(True))
        self.conv_block = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv_block(x)


class Pix2PixHDGenerator(nn.Module):
    def __init__(self, input_nc: int, output_nc: int, ngf: int = 64, n_downsampling: int = 3,
                 n_blocks: int = 9, norm_layer: Callable[[int], nn.Module] = nn.BatchNorm2d,
                 padding_type: str = "reflect") -> None:
        super().__init__()
        model: list[nn.Module] = [nn.ReflectionPad2d(3),
                                  nn.Conv2d(input_nc, ngf, kernel_size=7, padding=0),
                                  norm_layer(ngf), nn.ReLU(True)]
        for i in range(n_downsampling):
            mult = 2**i
            model += [nn.Conv2d(ngf * mult, ngf * mult * 2, kernel_size=3, stride=2, padding=1),
                      norm_layer(ngf * mult * 2), nn.ReLU(True)]
        mult = 2**n_downsampling
        model += [ResnetBlock(ngf * mult, padding_type=padding_type, norm_layer=norm_layer)
                  for _ in range(n_blocks)]
        for i in range(n_downsampling):
            mult = 2**(n_downsampling - i)
            model += [nn.ConvTranspose2d(ngf * mult, int(ngf * mult / 2), kernel_size=3,
                                         stride=2, padding=1, output_padding=1),
                      norm_layer(int(ngf * mult / 2)), nn.ReLU(True)]
        model += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, kernel_size=7, padding=0),
                  nn.Tanh()]
        self.model = nn.Sequential(*model)
        self.multiple = 2**n_downsampling

    def forward(self, input: torch.Tensor) -> torch.Tensor:  # noqa: A002 - the brief's name
        return self.model(input)

    def features(self, input: torch.Tensor) -> torch.Tensor:  # noqa: A002
        """The last feature maps (ngf channels, full size), before the output conv and tanh:
        what the local enhancer adds to its own."""
        return self.model[:-3](input)


class LocalEnhancer(nn.Module):
    """A global generator on the half-size input, plus a local branch at full size: the
    local branch halves its input once, adds the global features, refines them with
    residual blocks and upsamples back, so the output has twice the global resolution."""

    def __init__(self, input_nc: int, output_nc: int, ngf: int = 32, n_downsampling: int = 3,
                 n_blocks: int = 9, n_blocks_local: int = 3,
                 norm_layer: Callable[[int], nn.Module] = nn.BatchNorm2d,
                 padding_type: str = "reflect") -> None:
        super().__init__()
        local = ngf // 2
        self.global_generator = Pix2PixHDGenerator(input_nc, output_nc, ngf, n_downsampling,
                                                   n_blocks, norm_layer, padding_type)
        self.down = nn.Sequential(
            nn.ReflectionPad2d(3), nn.Conv2d(input_nc, local, 7), norm_layer(local),
            nn.ReLU(True), nn.Conv2d(local, ngf, 3, stride=2, padding=1), norm_layer(ngf),
            nn.ReLU(True))
        self.up = nn.Sequential(
            *[ResnetBlock(ngf, padding_type, norm_layer) for _ in range(n_blocks_local)],
            nn.ConvTranspose2d(ngf, local, 3, stride=2, padding=1, output_padding=1),
            norm_layer(local), nn.ReLU(True), nn.ReflectionPad2d(3),
            nn.Conv2d(local, output_nc, 7), nn.Tanh())
        self.multiple = 2 * self.global_generator.multiple

    def forward(self, input: torch.Tensor) -> torch.Tensor:  # noqa: A002
        half = F.avg_pool2d(input, 3, stride=2, padding=1, count_include_pad=False)
        return self.up(self.down(input) + self.global_generator.features(half))
