"""PatchGAN discriminators: each output logit judges one patch (70x70 pixels with three
stride-2 layers); the multi-scale version (Pix2PixHD) runs copies on 1x, 1/2x, 1/4x images
so that coarse ones see the whole composition. Both return every layer's features, which
Pix2PixHD's feature-matching loss compares between real and generated pairs."""

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from artforge.image.pix2pix.networks import uses_bias


class PatchDiscriminator(nn.Module):
    """n_layers=3: receptive field 70x70. The input is the sketch and the picture stacked."""

    def __init__(self, input_nc: int, ndf: int = 64, n_layers: int = 3,
                 norm: Callable[[int], nn.Module] = nn.BatchNorm2d) -> None:
        super().__init__()
        bias = uses_bias(norm)
        stages = [nn.Sequential(nn.Conv2d(input_nc, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True))]
        channels = ndf
        for index in range(1, n_layers + 1):
            out = ndf * min(2**index, 8)
            stride = 2 if index < n_layers else 1
            stages.append(nn.Sequential(nn.Conv2d(channels, out, 4, stride, 1, bias=bias),
                                        norm(out), nn.LeakyReLU(0.2, True)))
            channels = out
        stages.append(nn.Sequential(nn.Conv2d(channels, 1, 4, 1, 1)))
        self.stages = nn.ModuleList(stages)

    def forward(self, pair: torch.Tensor) -> list[torch.Tensor]:
        """Each stage's output; the last is the map of patch logits."""
        features = []
        x = pair
        for stage in self.stages:
            x = stage(x)
            features.append(x)
        return features


class MultiscaleDiscriminator(nn.Module):
    def __init__(self, input_nc: int, ndf: int = 64, n_layers: int = 3, num_d: int = 2,
                 norm: Callable[[int], nn.Module] = nn.BatchNorm2d) -> None:
        super().__init__()
        self.scales = nn.ModuleList(PatchDiscriminator(input_nc, ndf, n_layers, norm)
                                    for _ in range(num_d))

    def forward(self, pair: torch.Tensor) -> list[list[torch.Tensor]]:
        """Features of every scale, finest first."""
        out = []
        for index, scale in enumerate(self.scales):
            if index:
                pair = F.avg_pool2d(pair, 3, stride=2, padding=1, count_include_pad=False)
            out.append(scale(pair))
        return out
