"""The `instant` model: arbitrary style transfer light enough to follow a slider on a CPU.

The idea of MicroAST (Wang et al., AAAI 2023): no VGG at inference. Two micro encoders (one
for the photo, one for the painting) of three stride-2 convolutions each, and a micro decoder
that climbs back with resize-convolutions. The photo's deepest features take the painting's
channel means and spreads (AdaIN), and at each of the decoder's two finer levels the
decoder's features take the painting's statistics at that level too (the style is felt at
every scale, which a single AdaIN at 1/8 cannot give a net this small). Instance-normalised
photo features are added at the finer levels (skips), so edges survive the 1/8 bottleneck.

A painting is reduced once to its `StyleCode` (means and spreads at three levels), so
several styles blend by weighting their codes and a slider move (`alpha`) re-renders from
the cached photo features and code without encoding anything again.

It is trained by distillation: `scripts/make_instant.py` has `builtin:adain` paint pairs of
photos and paintings, and this network learns to paint the same in pixels (L1, plus L1 of the
images' gradients for sharp edges). Pixels alone teach a net this small to blur (the mean of
what it cannot place), so two VGG terms can join them: the teacher's painting in VGG features
(perceptual distillation) and the painting's channel means and spreads at relu1_1..relu4_1 (the
style loss of AdaIN), which reward the painting's texture; see the card of builtin:instant.
"""

import dataclasses
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from artforge.core.config import Config, require
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.style.encoder import FrozenVGG
from artforge.style.losses import mean_std, relative_mse
from artforge.style.networks import NearestUpConv, pad_to_multiple

LEVELS = 3
"""Stride-2 stages of each encoder: the deepest features are at 1/8 of the picture."""
VGG_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1")
"""Where the VGG terms of training look (AdaIN's style layers)."""


@dataclasses.dataclass
class InstantConfig(Config):
    width: int = 16
    """Channels at 1/2 size; 2x and 4x that at 1/4 and 1/8."""
    style_size: int = 256
    """Styles are encoded as squares of this side."""
    padding: str = "reflect"
    """How the convolutions pad: "reflect" (no dark frame at the picture's borders) or
    "zeros"."""
    pixel_weight: float = 1.0
    """Weight of the L1 between the network's painting and the teacher's."""
    edge_weight: float = 1.0
    """Weight of the L1 of the images' horizontal and vertical differences."""
    perceptual_weight: float = 0.0
    """Weight of the relative error of the painting's VGG features against the teacher's."""
    style_weight: float = 0.0
    """Weight of the relative error of the painting's VGG channel means and spreads against
    the style picture's (relu1_1..relu4_1, each layer counted alike, so the fine layers'
    texture weighs as much as the deep layers' colour and form)."""

    def validate(self) -> None:
        weights = (self.pixel_weight, self.edge_weight, self.perceptual_weight,
                   self.style_weight)
        require([
            (4 <= self.width <= 64, "--width must be between 4 and 64"),
            (32 <= self.style_size <= 1024, "--style-size must be between 32 and 1024"),
            (self.padding in ("reflect", "zeros"), "--padding must be reflect or zeros"),
            (all(w >= 0 for w in weights), "loss weights must be 0 or more"),
        ])


def conv(cin: int, cout: int, stride: int = 1, padding: str = "reflect") -> nn.Conv2d:
    """A 3x3 convolution; reflection padding keeps the borders' colour, zeros darken them."""
    return nn.Conv2d(cin, cout, 3, stride, padding=1, padding_mode=padding)


def _widths(width: int) -> tuple[int, int, int]:
    return width, 2 * width, 4 * width


class MicroEncoder(nn.Module):
    """Three stride-2 3x3 convolutions with ReLU, then a residual pair at 1/8: features at
    1/2, 1/4 and 1/8 of the picture."""

    def __init__(self, width: int, padding: str = "reflect") -> None:
        super().__init__()
        c1, c2, c3 = _widths(width)
        self.stages = nn.ModuleList([conv(3, c1, 2, padding), conv(c1, c2, 2, padding),
                                     conv(c2, c3, 2, padding)])
        self.residual = nn.Sequential(conv(c3, c3, 1, padding), nn.ReLU(inplace=True),
                                      conv(c3, c3, 1, padding))

    def forward(self, images: torch.Tensor) -> list[torch.Tensor]:
        found, x = [], images * 2.0 - 1.0
        for stage in self.stages:
            x = F.relu(stage(x))
            found.append(x)
        found[-1] = found[-1] + self.residual(found[-1])
        return found


@dataclasses.dataclass
class StyleCode:
    """A painting (or a blend of several) as channel means and spreads at each level,
    finest first, each (1, C, 1, 1)."""
    means: list[torch.Tensor]
    stds: list[torch.Tensor]


def _restyle(x: torch.Tensor, mean: torch.Tensor, std: torch.Tensor, alpha: torch.Tensor
             ) -> torch.Tensor:
    """AdaIN `alpha` of the way: x's statistics moved towards (mean, std)."""
    own_mean, own_std = mean_std(x)
    scale = (alpha * std + (1 - alpha) * own_std) / own_std
    shift = alpha * mean + (1 - alpha) * own_mean - own_mean * scale
    return torch.addcmul(shift, x, scale)  # one pass over x instead of four


def _normalised(x: torch.Tensor) -> torch.Tensor:
    mean, std = mean_std(x)
    return (x - mean) / std


class MicroDecoder(nn.Module):
    """From the restyled 1/8 features back to the picture: a residual pair, then per level a
    nearest 2x upsampling and a 3x3 conv, the photo's normalised features of that level
    added and the style's statistics imposed, and a last upsampling and conv to RGB."""

    def __init__(self, width: int, padding: str = "reflect") -> None:
        super().__init__()
        c1, c2, c3 = _widths(width)
        self.residual = nn.Sequential(conv(c3, c3, 1, padding), nn.ReLU(inplace=True),
                                      conv(c3, c3, 1, padding))
        self.up = nn.ModuleList([NearestUpConv(c3, c2, padding), NearestUpConv(c2, c1, padding)])
        self.skip = nn.ParameterList([nn.Parameter(torch.full((1, c, 1, 1), 0.5))
                                      for c in (c2, c1)])
        self.out = NearestUpConv(c1, 3, padding)

    def forward(self, photo: list[torch.Tensor], code: StyleCode, alpha: torch.Tensor
                ) -> torch.Tensor:
        x = _restyle(photo[-1], code.means[-1], code.stds[-1], alpha)
        x = x + self.residual(x)
        for index, (layer, skip) in enumerate(zip(self.up, self.skip, strict=True)):
            level = LEVELS - 2 - index  # 1 (1/4 size), then 0 (1/2 size)
            x = layer(x)  # upsampled 2x on the way
            x = x + skip * _normalised(photo[level])
            x = F.relu(_restyle(x, code.means[level], code.stds[level], alpha))
        x = self.out(x)
        return x * 0.5 + 0.5


class InstantTransfer(nn.Module):
    """Both encoders and the decoder as one module: content (1, 3, H, W), styles
    (K, 3, S, S), blend weights (K,), alpha (1,) -> picture. What export-onnx writes."""

    def __init__(self, content: MicroEncoder, style: MicroEncoder, decoder: MicroDecoder
                 ) -> None:
        super().__init__()
        self.content, self.style, self.decoder = content, style, decoder

    def statistics(self, styles: torch.Tensor) -> StyleCode:
        """One code per style picture: (K, C, 1, 1) at each level."""
        found = [mean_std(features) for features in self.style(styles)]
        return StyleCode([mean for mean, _ in found], [std for _, std in found])

    def code(self, styles: torch.Tensor, weights: torch.Tensor) -> StyleCode:
        """The styles' codes blended by `weights` (K,): one (1, C, 1, 1) code per level."""
        each, w = self.statistics(styles), weights.view(-1, 1, 1, 1)
        return StyleCode([(w * m).sum(0, keepdim=True) for m in each.means],
                         [(w * s).sum(0, keepdim=True) for s in each.stds])

    def forward(self, content: torch.Tensor, styles: torch.Tensor, weights: torch.Tensor,
                alpha: torch.Tensor) -> torch.Tensor:
        made = self.decoder(self.content(content), self.code(styles, weights),
                            alpha.view(1, 1, 1, 1))
        return made.clamp(0.0, 1.0)


def _edges(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return images[..., 1:, :] - images[..., :-1, :], images[..., :, 1:] - images[..., :, :-1]


@MODELS.register("instant")
class InstantModel(ArtModel):
    kind = "instant"
    config_class = InstantConfig
    divisor = 2 ** LEVELS
    """Picture sides must divide by this (padded by `stylize`)."""

    def __init__(self, config: InstantConfig) -> None:
        super().__init__(config)
        self.content_encoder = MicroEncoder(config.width, config.padding)
        self.style_encoder = MicroEncoder(config.width, config.padding)
        self.decoder = MicroDecoder(config.width, config.padding)
        self._vgg = FrozenVGG(VGG_LAYERS)

    def transfer_module(self) -> InstantTransfer:
        return InstantTransfer(self.content_encoder, self.style_encoder, self.decoder)

    def square_styles(self, styles: Sequence[torch.Tensor]) -> torch.Tensor:
        """(K, 3, S, S): each style picture resized to the configured square."""
        side = self.config.style_size
        return torch.cat([F.interpolate(s, size=(side, side), mode="bilinear", antialias=True,
                                        align_corners=False) for s in styles])

    @torch.no_grad()
    def style_code(self, styles: Sequence[torch.Tensor], weights: Sequence[float] | None = None
                   ) -> StyleCode:
        """The blended code of the style pictures (each (1, 3, h, w)); compute it once and
        `render` with it as often as the photo or the strength changes."""
        device = next(self.parameters()).device
        blend = torch.tensor(weights or [1.0] * len(styles), dtype=torch.float32)
        blend = (blend / blend.sum()).to(device)
        return self.transfer_module().code(self.square_styles(styles).to(device), blend)

    @torch.no_grad()
    def encode(self, content: torch.Tensor) -> tuple[list[torch.Tensor], int, int]:
        """The photo's features (cache them to re-render at other strengths), and its size."""
        padded, height, width = pad_to_multiple(content.to(next(self.parameters()).device),
                                                self.divisor)
        return self.content_encoder(padded), height, width

    @torch.no_grad()
    def render(self, encoded: tuple[list[torch.Tensor], int, int], code: StyleCode,
               alpha: float = 1.0) -> torch.Tensor:
        features, height, width = encoded
        strength = features[0].new_tensor(alpha).view(1, 1, 1, 1)
        return self.decoder(features, code, strength).clamp(0.0, 1.0)[..., :height, :width]

    @torch.no_grad()
    def stylize(self, content: torch.Tensor, styles: Sequence[torch.Tensor],
                weights: Sequence[float] | None = None, alpha: float = 1.0) -> torch.Tensor:
        """Stylise (1, 3, H, W) with the style pictures blended by `weights`; alpha 0 keeps
        the photo's own statistics, 1 is the full style."""
        return self.render(self.encode(content), self.style_code(styles, weights), alpha)

    def style_statistics(self, styles: torch.Tensor) -> dict[str, torch.Tensor]:
        """The style pictures' VGG channel means and spreads, the targets of the style term:
        {"LAYER.mean": (K, C, 1, 1), "LAYER.std": ...}. A training set may compute them once
        per picture and hand them over in the batch under these names."""
        with torch.no_grad():
            found = self._vgg(styles)
        stats = {}
        for name in VGG_LAYERS:
            stats[f"{name}.mean"], stats[f"{name}.std"] = mean_std(found[name])
        return stats

    def training_step(self, batch: dict[str, torch.Tensor], *args) -> dict[str, torch.Tensor]:
        """Paint (content, style) as the teacher painted it (`target`): pixels and edges, and
        where their weights are set, the teacher's VGG features and the style's statistics."""
        cfg = self.config
        code = self.transfer_module().statistics(batch["style"])
        made = self.decoder(self.content_encoder(batch["content"]), code,
                            batch["style"].new_ones(1, 1, 1, 1))
        target = batch["target"]
        pixels = F.l1_loss(made, target)
        edges = sum(F.l1_loss(a, b) for a, b in zip(_edges(made), _edges(target), strict=True))
        loss = cfg.pixel_weight * pixels + cfg.edge_weight * edges
        terms = {"pixels": pixels.detach(), "edges": edges.detach()}
        if cfg.perceptual_weight or cfg.style_weight:
            found = self._vgg(made)
        if cfg.perceptual_weight:
            with torch.no_grad():
                teacher = self._vgg(target)
            perceptual = sum(relative_mse(found[n], teacher[n]) for n in VGG_LAYERS) / len(
                VGG_LAYERS)
            loss = loss + cfg.perceptual_weight * perceptual
            terms["perceptual"] = perceptual.detach()
        if cfg.style_weight:
            wanted = (batch if f"{VGG_LAYERS[0]}.mean" in batch
                      else self.style_statistics(batch["style"]))
            style = made.new_zeros(())
            for name in VGG_LAYERS:
                mean, std = mean_std(found[name])
                style = (style + relative_mse(mean, wanted[f"{name}.mean"])
                         + relative_mse(std, wanted[f"{name}.std"]))
            style = style / len(VGG_LAYERS)
            loss = loss + cfg.style_weight * style
            terms["style"] = style.detach()
        return {"loss": loss, **terms}
