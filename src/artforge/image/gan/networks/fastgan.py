"""FastGAN (Liu et al. 2021), the data-efficient design: a light generator whose low-resolution
features gate high-resolution ones channel-wise (skip-layer excitation, SLE), and a
discriminator trained as a self-supervised auto-encoder: small decoders must rebuild the
real image, and a random quarter of it, from D's 8x8 and 16x16 features (the model scores
the rebuilt pictures with a perceptual distance, artforge.image.gan.perceptual)."""

from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

from artforge.core.folded_upsampling import upsample_conv_transposed
from artforge.image.gan.networks import channels_at, resolution_steps

DECODED = 32
"""Side of the images the discriminator's decoders rebuild."""

class UpBlock(nn.Sequential):
    """FastGAN's up block: nearest 2x upsampling, a 3x3 convolution, batch norm, GLU; the first
    two computed as one transposed convolution (artforge.core.folded_upsampling). Its maps
    take the default layout: on a CPU, batch norm sums the statistics of channels-last ones
    (the discriminator's, as DiffAugment's translation leaves them) with a float32 error
    20-200 times larger, and its backward after F.glu's runs many times slower. Its layers are
    named "1" and "2", as when an nn.Upsample was "0", so checkpoints load."""

    plain = False
    """True: upsample, then convolve, in the layout the maps come in: the same function, up to
    twice as slow on a CPU. benchmarks/gan_step_speed.py sets it on instances for its before
    arm."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__(OrderedDict([("1", nn.Conv2d(cin, cout * 2, 3, 1, 1, bias=False)),
                                      ("2", nn.BatchNorm2d(cout * 2))]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        conv, norm = self
        if self.plain:
            x = conv(F.interpolate(x, scale_factor=2, mode="nearest"))
        else:
            x = upsample_conv_transposed(x.contiguous(), conv.weight)
        return F.glu(norm(x), dim=1)


class SkipExcitation(nn.Module):
    """Channel gates for a high-resolution map computed from a low-resolution one."""

    def __init__(self, low: int, high: int) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.AdaptiveAvgPool2d(4), nn.Conv2d(low, high, 4, 1, 0),
                                 nn.LeakyReLU(0.1), nn.Conv2d(high, high, 1), nn.Sigmoid())

    def forward(self, high: torch.Tensor, low: torch.Tensor) -> torch.Tensor:
        return high * self.net(low)


class FastGenerator(nn.Module):
    def __init__(self, z_dim: int, size: int, base: int, most: int) -> None:
        super().__init__()
        steps = resolution_steps(size, "fastgan")
        self.resolutions = [4 << i for i in range(steps + 1)]
        width = {r: channels_at(r, size, base, most) for r in self.resolutions}
        self.init = nn.Sequential(nn.ConvTranspose2d(z_dim, width[4] * 2, 4, 1, 0, bias=False),
                                  nn.BatchNorm2d(width[4] * 2), nn.GLU(dim=1))
        self.ups = nn.ModuleList(UpBlock(width[r // 2], width[r]) for r in self.resolutions[1:])
        targets = [r for r in self.resolutions if r >= 32][-3:]
        self.excite = nn.ModuleDict({str(t): SkipExcitation(width[t // 8], width[t])
                                     for t in targets})
        self.to_rgb = nn.Conv2d(width[size], 3, 3, 1, 1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.init(z[:, :, None, None])
        features = {4: x}
        for resolution, up in zip(self.resolutions[1:], self.ups, strict=True):
            x = up(x)
            if str(resolution) in self.excite:
                x = self.excite[str(resolution)](x, features[resolution // 8])
            features[resolution] = x
        return torch.tanh(self.to_rgb(x))


def _leaky_relu() -> nn.LeakyReLU:
    """In place: what it rewrites (a convolution's or batch norm's output) is not needed for
    their gradients, and a fresh map per activation costs time on a CPU."""
    return nn.LeakyReLU(0.2, inplace=True)


class DownBlock(nn.Module):
    """Strided conv path plus an average-pool shortcut (FastGAN's DownBlockComp, simplified)."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout),
                                  _leaky_relu(), nn.Conv2d(cout, cout, 3, 1, 1, bias=False),
                                  nn.BatchNorm2d(cout), _leaky_relu())
        self.skip = nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(cin, cout, 1, bias=False),
                                  nn.BatchNorm2d(cout), _leaky_relu())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (self.main(x) + self.skip(x)) / 2


def _decoder(cin: int, levels: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    channels = cin
    for _ in range(levels):
        out = max(16, channels // 2)
        layers.append(UpBlock(channels, out))
        channels = out
    return nn.Sequential(*layers, nn.Conv2d(channels, 3, 3, 1, 1), nn.Tanh())


class FastDiscriminator(nn.Module):
    def __init__(self, size: int, base: int, most: int) -> None:
        super().__init__()
        steps = resolution_steps(size, "fastgan")
        resolutions = [size >> i for i in range(steps)]  # size ... 8
        width = {r: channels_at(r, size, base, most) for r in resolutions}
        self.stem = nn.Sequential(nn.Conv2d(3, width[size], 3, 1, 1), _leaky_relu())
        self.downs = nn.ModuleList(DownBlock(width[r], width[r // 2]) for r in resolutions[:-1])
        self.resolutions = resolutions
        self.logits = nn.Sequential(nn.Conv2d(width[8], width[8], 1, bias=False),
                                    nn.BatchNorm2d(width[8]), _leaky_relu(),
                                    nn.Conv2d(width[8], 1, 4, 1, 0))
        self.decode_whole = _decoder(width[8], 2)  # 8 -> 32
        self.decode_part = _decoder(width[16] if 16 in width else width[8], 2)

    def features(self, images: torch.Tensor) -> dict[int, torch.Tensor]:
        x = self.stem(images)
        found = {self.resolutions[0]: x}
        for resolution, down in zip(self.resolutions[1:], self.downs, strict=True):
            x = down(x)
            found[resolution] = x
        return found

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.logits(self.features(images)[8]).flatten(1)

    def forward_with_reconstruction(self, images: torch.Tensor, part: int
                                    ) -> tuple[torch.Tensor, list[tuple[torch.Tensor,
                                                                        torch.Tensor]]]:
        """Logits, and two (rebuilt, target) pairs: the whole image rebuilt from the 8x8
        features and its quarter `part` (0-3) from the 16x16 ones, each beside the real
        pixels at the decoder's size."""
        found = self.features(images)
        logits = self.logits(found[8]).flatten(1)
        whole = (self.decode_whole(found[8]), F.interpolate(images, size=DECODED, mode="area"))
        fine = found.get(16, found[8])
        half = fine.shape[-1] // 2
        row, col = divmod(part, 2)
        quarter = fine[:, :, row * half:(row + 1) * half, col * half:(col + 1) * half]
        side = images.shape[-1] // 2
        target = images[:, :, row * side:(row + 1) * side, col * side:(col + 1) * side]
        decoded = self.decode_part(quarter)
        return logits, [whole, (decoded, F.interpolate(target, size=decoded.shape[-1],
                                                       mode="area"))]
