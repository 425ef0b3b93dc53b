"""The feed-forward style networks (pure modules, no I/O).

- `TransformerNet`: Johnson, Alahi & Fei-Fei (2016), one network per style, with Ulyanov et
  al.'s instance normalisation and Odena et al.'s resize-convolutions (nearest upsampling,
  then a convolution) instead of transposed ones, which leave checkerboard artefacts. With
  `norm="layer-instance"` its norms mix instance and layer statistics
  (`layer_instance_norm`), against the round blots plain instance norms teach.
- `AdaINDecoder` and `adain`: Huang & Belongie (2017): VGG features of the photo take the
  channel means and spreads of the style's, and a trained decoder turns them into a picture;
  one decoder serves every style.
Both take and give RGB in [0, 1]; sides must be multiples of 4 (TransformerNet) or 8 (AdaIN),
which `pad_to_multiple` arranges.
- `NearestUpConv`: a resize-convolution (nearest 2x, then 3x3) computed on the small picture,
  as the instant network's decoder uses it.
"""

import torch
import torch.nn.functional as F
from torch import nn

from artforge.core.folded_upsampling import upsample_conv_phases
from artforge.style.losses import mean_std


def conv(cin: int, cout: int, kernel: int, stride: int = 1) -> nn.Sequential:
    """Reflection padding (no dark borders) and a convolution."""
    return nn.Sequential(nn.ReflectionPad2d(kernel // 2), nn.Conv2d(cin, cout, kernel, stride))


NORMS = ("instance", "layer-instance")


def layer_instance_norm(x: torch.Tensor, rho: torch.Tensor, weight: torch.Tensor,
                        bias: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """rho * instance norm + (1 - rho) * layer norm of `x`, per channel (rho (C,), clipped to
    [0, 1] in the forward pass only), then scaled by `weight` and shifted by `bias` (each (C,)
    or (B, C)): Nam & Kim's (2018) batch-instance idea with layer statistics, as U-GAT-IT (Kim
    et al. 2020) mixes them.

    A plain instance norm gives every channel unit spread on every picture, so a channel the
    picture does not need can only be quietened by pouring its spread into one local spike,
    which the output carries as a round blot (the "droplets" of Karras et al. 2020). The layer
    statistics (over every channel) keep the channels' relative strengths, so with rho below 1
    a channel can be quiet without a spike. rho = 1 is the plain instance norm. The layer
    statistics come from the channels' own, so the whole norm is one pass over x."""
    variance, mean = torch.var_mean(x, (2, 3), keepdim=True, unbiased=False)
    layer_mean = mean.mean(1, keepdim=True)
    layer_variance = (variance + mean * mean).mean(1, keepdim=True) - layer_mean * layer_mean
    inverse, layer_inverse = (variance + eps).rsqrt(), (layer_variance + eps).rsqrt()
    # Clipped going forward, not going back (a rho the optimiser pushed past 1 still learns).
    rho = (rho + (rho.clamp(0.0, 1.0) - rho).detach()).reshape(1, -1, 1, 1)
    scale = rho * inverse + (1 - rho) * layer_inverse
    shift = -(rho * mean * inverse + (1 - rho) * layer_mean * layer_inverse)
    weight, bias = (value.reshape(-1 if value.dim() == 2 else 1, x.shape[1], 1, 1)
                    for value in (weight, bias))
    return torch.addcmul(bias + weight * shift, x, weight * scale)


class LayerInstanceNorm2d(nn.InstanceNorm2d):
    """nn.InstanceNorm2d(affine=True) with layer_instance_norm's mix; its rho starts at 1 (the
    plain instance norm), so an instance-norm network's weights load and paint unchanged."""

    def __init__(self, channels: int) -> None:
        super().__init__(channels, affine=True)
        self.rho = nn.Parameter(torch.ones(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return layer_instance_norm(x, self.rho, self.weight, self.bias, self.eps)


def instance_norm(channels: int, norm: str) -> nn.InstanceNorm2d:
    """An affine instance norm: "instance" (Ulyanov et al.) or "layer-instance"."""
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, not {norm!r}")
    return (LayerInstanceNorm2d(channels) if norm == "layer-instance"
            else nn.InstanceNorm2d(channels, affine=True))


def conv_norm_relu(cin: int, cout: int, kernel: int, stride: int = 1,
                   norm: str = "instance") -> nn.Sequential:
    return nn.Sequential(conv(cin, cout, kernel, stride), instance_norm(cout, norm),
                         nn.ReLU(inplace=True))


class ResidualBlock(nn.Module):
    def __init__(self, channels: int, norm: str = "instance") -> None:
        super().__init__()
        self.body = nn.Sequential(conv_norm_relu(channels, channels, 3, norm=norm),
                                  conv(channels, channels, 3),
                                  instance_norm(channels, norm))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class UpConv(nn.Module):
    """Resize-convolution: nearest-neighbour upsampling by 2, then a convolution."""

    def __init__(self, cin: int, cout: int, norm: str = "instance") -> None:
        super().__init__()
        self.body = conv_norm_relu(cin, cout, 3, norm=norm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class TransformerNet(nn.Module):
    """9x9 conv, two stride-2 convs, residual blocks at a quarter of the size, two resize-convs
    and a 9x9 conv; `channels` are the widths at full, half and quarter size; `norm` the
    kind of its instance norms (NORMS)."""

    def __init__(self, channels: tuple[int, int, int] = (32, 64, 128), res_blocks: int = 5,
                 norm: str = "instance") -> None:
        super().__init__()
        full, half, quarter = channels
        self.body = nn.Sequential(
            conv_norm_relu(3, full, 9, norm=norm), conv_norm_relu(full, half, 3, 2, norm=norm),
            conv_norm_relu(half, quarter, 3, 2, norm=norm),
            *[ResidualBlock(quarter, norm) for _ in range(res_blocks)],
            UpConv(quarter, half, norm), UpConv(half, full, norm), conv(full, 3, 9))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.body(images * 2.0 - 1.0))


def adain(content: torch.Tensor, style_mean: torch.Tensor, style_std: torch.Tensor
          ) -> torch.Tensor:
    """Content features with their per-channel mean and spread replaced by the style's."""
    mean, std = mean_std(content)
    return (content - mean) / std * style_std + style_mean


class AdaINDecoder(nn.Module):
    """Mirror of VGG up to relu4_1 (or relu3_1: its last two stages) with nearest
    upsampling; `width` scales the channels (1.0: the paper's 256/128/64) so that a CPU can
    train one in minutes."""

    def __init__(self, width: float = 1.0, layer: str = "relu4_1") -> None:
        super().__init__()
        c3, c2, c1 = (max(8, round(c * width)) for c in (256, 128, 64))
        relu = nn.ReLU(inplace=True)
        up = nn.Upsample(scale_factor=2.0, mode="nearest")
        deepest = [conv(512, c3, 3), relu, up, conv(c3, c3, 3), relu, conv(c3, c3, 3), relu,
                   conv(c3, c3, 3), relu, conv(c3, c2, 3), relu]
        from_relu3 = [conv(256, c2, 3), relu]
        self.body = nn.Sequential(
            *(deepest if layer == "relu4_1" else from_relu3), up,
            conv(c2, c2, 3), relu, conv(c2, c1, 3), relu, up,
            conv(c1, c1, 3), relu, conv(c1, 3, 3))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.body(features)


class NearestUpConv(nn.Conv2d):
    """A nearest 2x upsampling then this 3x3 convolution, computed on the small picture as
    four 2x2 convolutions, one per output phase (upsample_conv_phases): the same result for
    2.25x fewer multiplications."""

    def __init__(self, cin: int, cout: int, padding: str = "reflect") -> None:
        super().__init__(cin, cout, 3, 1, padding=1, padding_mode=padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return upsample_conv_phases(x, self.weight, self.bias, self.padding_mode)


def pad_to_multiple(images: torch.Tensor, multiple: int) -> tuple[torch.Tensor, int, int]:
    """Reflect-pad the bottom and right so both sides divide by `multiple`; also return the
    original height and width to crop back to."""
    height, width = images.shape[-2:]
    bottom, right = -height % multiple, -width % multiple
    if bottom or right:
        mode = "reflect" if min(height, width) > max(bottom, right) else "replicate"
        images = F.pad(images, (0, right, 0, bottom), mode=mode)
    return images, height, width
