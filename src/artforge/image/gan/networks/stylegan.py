"""StyleGAN2 at small sizes (Karras et al. 2020): a mapping network z -> w, modulated and
demodulated convolutions fed a style per layer, per-pixel noise inputs, skip to-RGB outputs,
equalised learning rate, style mixing and truncation around the tracked mean w; a residual
discriminator with a minibatch standard-deviation layer."""

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from artforge.image.gan.networks import channels_at, cpu_channels_last, resolution_steps

GAIN = math.sqrt(2.0)


class EqualLinear(nn.Module):
    """A linear layer whose weights are scaled at run time (equalised learning rate)."""

    def __init__(self, fan_in: int, fan_out: int, bias_init: float = 0.0, lr_mul: float = 1.0
                 ) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(fan_out, fan_in) / lr_mul)
        self.bias = nn.Parameter(torch.full((fan_out,), bias_init / lr_mul))
        self.scale, self.lr_mul = lr_mul / math.sqrt(fan_in), lr_mul

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight * self.scale, self.bias * self.lr_mul)


class EqualConv(nn.Module):
    """A convolution with an equalised learning rate. `gain` multiplies its output, folded into
    the run-time scale: a positive gain commutes with a leaky ReLU (gain * lrelu(v) =
    lrelu(gain * v)), so the activation's gain costs no pass over the feature maps."""

    def __init__(self, cin: int, cout: int, kernel: int, bias: bool = True, gain: float = 1.0,
                 stride: int = 1) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, kernel, kernel))
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None
        self.scale, self.gain, self.stride = gain / math.sqrt(cin * kernel * kernel), gain, stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        bias = None if self.bias is None else self.bias * self.gain
        return F.conv2d(x, self.weight * self.scale, bias, stride=self.stride,
                        padding=self.weight.shape[-1] // 2)


def upsample(x: torch.Tensor) -> torch.Tensor:
    return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


class ModulatedConv(nn.Module):
    """Scale the kernel's input channels by the style, then (optionally) renormalise each
    output channel to unit expected variance: demodulation, which replaces AdaIN.

    Computed in StyleGAN2's non-fused form: the input scaled by the style, one ordinary
    convolution with the shared kernel, the output scaled by the demodulation coefficients.
    `up` doubles the resolution in between: it commutes with the style scaling, which then
    covers a quarter of the pixels. `gain` multiplies the output, through the kernel."""

    fused = False
    """True: per-sample kernels in one grouped convolution (StyleGAN2's fused form). The same
    function, but the generator trains at less than half the speed on a CPU; the equivalence
    tests and benchmarks/gan_step_speed.py set it on instances."""

    def __init__(self, cin: int, cout: int, kernel: int, w_dim: int, demodulate: bool = True,
                 up: bool = False, gain: float = 1.0) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, kernel, kernel))
        self.affine = EqualLinear(w_dim, cin, bias_init=1.0)
        self.scale, self.demodulate = 1 / math.sqrt(cin * kernel * kernel), demodulate
        self.up, self.gain = up, gain

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        style = self.affine(w)
        if self.fused:
            return self._fused(upsample(x) if self.up else x, style)
        x = x * style[:, :, None, None]
        weight = self.weight * self.scale
        out = F.conv2d(upsample(x) if self.up else x, weight * self.gain,
                       padding=weight.shape[-1] // 2)
        if self.demodulate:
            out = out * self.demodulation(weight, style)[:, :, None, None]
        return out

    @staticmethod
    def demodulation(weight: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        """(N, cout): 1 / the norm of each sample's modulated kernel, which is never built:
        sum_i,k,l (w[o,i,k,l] s[n,i])^2 = sum_i s[n,i]^2 sum_k,l w[o,i,k,l]^2."""
        return torch.rsqrt(style.square() @ weight.square().sum(dim=[2, 3]).T + 1e-8)

    def _fused(self, x: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        batch, cin, height, width = x.shape
        weight = self.weight[None] * self.scale * style[:, None, :, None, None]
        if self.demodulate:
            weight = weight * torch.rsqrt(weight.square().sum(dim=[2, 3, 4]) + 1e-8)[..., None,
                                                                                     None, None]
        cout, kernel = weight.shape[1], weight.shape[-1]
        out = F.conv2d(x.reshape(1, batch * cin, height, width),
                       (weight * self.gain).reshape(batch * cout, cin, kernel, kernel),
                       padding=kernel // 2, groups=batch)
        return out.reshape(batch, cout, height, width)


class StyleLayer(nn.Module):
    """Modulated 3x3 convolution, per-pixel noise, bias, leaky ReLU times GAIN; the gain is
    applied before the activation (lrelu(v) * GAIN = lrelu(v * GAIN)), by the convolution and
    to the noise strength and bias, which spares a pass over the feature maps."""

    def __init__(self, cin: int, cout: int, w_dim: int, up: bool = False) -> None:
        super().__init__()
        self.conv = ModulatedConv(cin, cout, 3, w_dim, up=up, gain=GAIN)
        self.noise_strength = nn.Parameter(torch.zeros(()))
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        x = self.conv(x, w)
        noise = torch.randn(x.shape[0], 1, x.shape[2], x.shape[3], device=x.device, dtype=x.dtype)
        shift = (self.bias * GAIN)[:, None, None]
        return F.leaky_relu(x + (self.noise_strength * GAIN) * noise + shift, 0.2)


class ToRGB(nn.Module):
    def __init__(self, cin: int, w_dim: int) -> None:
        super().__init__()
        self.conv = ModulatedConv(cin, 3, 1, w_dim, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(3))

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return self.conv(x, w) + self.bias[:, None, None]


class MappingNetwork(nn.Module):
    def __init__(self, z_dim: int, w_dim: int, layers: int) -> None:
        super().__init__()
        dims = [z_dim] + [w_dim] * layers
        self.layers = nn.ModuleList(EqualLinear(a, b, lr_mul=0.01)
                                    for a, b in zip(dims, dims[1:], strict=False))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = z * torch.rsqrt(z.square().mean(dim=1, keepdim=True) + 1e-8)
        for layer in self.layers:
            x = F.leaky_relu(layer(x), 0.2) * GAIN
        return x


class StyleGenerator(nn.Module):
    """`convs_per_resolution` modulated 3x3 convolutions above 4x4 (StyleGAN2: 2), the first
    one doubling the resolution; one w per convolution (num_ws), the last of each resolution's
    also feeding its to-RGB."""

    def __init__(self, z_dim: int, w_dim: int, mapping_layers: int, size: int, base: int,
                 most: int, convs_per_resolution: int = 2) -> None:
        super().__init__()
        steps = resolution_steps(size, "stylegan")
        self.mapping = MappingNetwork(z_dim, w_dim, mapping_layers)
        self.register_buffer("w_avg", torch.zeros(w_dim))
        first = channels_at(4, size, base, most)
        self.const = nn.Parameter(torch.randn(1, first, 4, 4))
        self.layers = nn.ModuleList([StyleLayer(first, first, w_dim)])
        self.to_rgbs = nn.ModuleList([ToRGB(first, w_dim)])
        channels = first
        for step in range(steps):
            out = channels_at(8 << step, size, base, most)
            self.layers.append(StyleLayer(channels, out, w_dim, up=True))
            self.layers.extend(StyleLayer(out, out, w_dim)
                               for _ in range(convs_per_resolution - 1))
            self.to_rgbs.append(ToRGB(out, w_dim))
            channels = out
        self.convs_per_resolution = convs_per_resolution
        self.num_ws = len(self.layers)

    def styles(self, z: torch.Tensor, truncation: float = 1.0, mix_z: torch.Tensor | None = None,
               crossover: int | None = None) -> torch.Tensor:
        """(N, num_ws, w_dim): one w per layer; layers from `crossover` on take mix_z's w."""
        w = self.mapping(z)
        if self.training:  # under autocast w is half precision; the tracked mean stays fp32
            self.w_avg.lerp_(w.detach().mean(0).to(self.w_avg.dtype), 0.005)
        ws = w[:, None].repeat(1, self.num_ws, 1)
        if mix_z is not None and crossover is not None:
            ws[:, crossover:] = self.mapping(mix_z)[:, None]
        if truncation != 1.0:
            ws = self.w_avg + truncation * (ws - self.w_avg)
        return ws

    def synthesis(self, ws: torch.Tensor) -> torch.Tensor:
        x = cpu_channels_last(self.const.expand(ws.shape[0], -1, -1, -1))
        x = self.layers[0](x, ws[:, 0])
        rgb = self.to_rgbs[0](x, ws[:, 0])
        per = self.convs_per_resolution
        for index, to_rgb in enumerate(self.to_rgbs[1:]):
            first = 1 + per * index  # layers[first] doubles the resolution
            for layer in range(first, first + per):
                x = self.layers[layer](x, ws[:, layer])
            rgb = upsample(rgb) + to_rgb(x, ws[:, first + per - 1])
        return rgb

    def forward(self, z: torch.Tensor, truncation: float = 1.0, mix_z: torch.Tensor | None = None,
                crossover: int | None = None) -> torch.Tensor:
        return self.synthesis(self.styles(z, truncation, mix_z, crossover))


class ResidualDown(nn.Module):
    """StyleGAN2's residual block, y = lrelu(conv1(x)) * GAIN, out = (pool(lrelu(conv2(y)) *
    GAIN) + pool(skip(x))) / sqrt(2), rearranged without changing the function: the gains go
    into the convolutions (conv2's GAIN / sqrt(2) = 1), and the 1x1 skip convolution, linear
    and without bias like the pooling, runs after it on a quarter of the pixels."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.conv1, self.conv2 = EqualConv(cin, cin, 3, gain=GAIN), EqualConv(cin, cout, 3)
        self.skip = EqualConv(cin, cout, 1, bias=False, gain=1 / math.sqrt(2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.avg_pool2d(F.leaky_relu(self.conv2(F.leaky_relu(self.conv1(x), 0.2)), 0.2), 2)
        return y + self.skip(F.avg_pool2d(x, 2))


class StyleDiscriminator(nn.Module):
    """A 1x1 from-RGB convolution (unless `from_rgb` is False: the first block then reads the
    pixels), one `block` (cin, cout) per halving down to 4x4, then the minibatch standard
    deviation, a 3x3 convolution and two dense layers."""

    def __init__(self, size: int, base: int, most: int, group: int = 4,
                 block: Callable[[int, int], nn.Module] = ResidualDown, from_rgb: bool = True
                 ) -> None:
        super().__init__()
        steps = resolution_steps(size, "stylegan")
        channels = channels_at(size, size, base, most) if from_rgb else 3
        self.from_rgb = EqualConv(3, channels, 1, gain=GAIN) if from_rgb else None
        blocks = []
        for step in range(steps):
            out = channels_at(size >> (step + 1), size, base, most)
            blocks.append(block(channels, out))
            channels = out
        self.blocks = nn.Sequential(*blocks)
        self.group = group
        self.final_conv = EqualConv(channels + 1, channels, 3, gain=GAIN)
        self.final = nn.Sequential(EqualLinear(channels * 16, channels), nn.LeakyReLU(0.2),
                                   EqualLinear(channels, 1))

    def minibatch_std(self, x: torch.Tensor) -> torch.Tensor:
        """Append the across-batch standard deviation as a feature map, so D can see variety."""
        n, c, h, w = x.shape
        group = math.gcd(n, self.group)
        std = x.reshape(group, -1, c, h, w).var(0, unbiased=False).add(1e-8).sqrt()
        feature = std.mean(dim=[1, 2, 3]).reshape(-1, 1, 1, 1).repeat(group, 1, h, w)
        return torch.cat([x, feature], 1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = cpu_channels_last(images)
        if self.from_rgb is not None:
            x = F.leaky_relu(self.from_rgb(x), 0.2)
        x = self.minibatch_std(self.blocks(x))
        x = F.leaky_relu(self.final_conv(x), 0.2)
        return self.final(x.flatten(1)).flatten()
