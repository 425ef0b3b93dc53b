"""The `adain` model: arbitrary style transfer with one decoder (Huang & Belongie 2017).

VGG16 up to relu4_1 encodes photo and painting; AdaIN gives the photo's features the
painting's channel statistics; the decoder, the only trained part, paints the result. The
loss is the paper's: the result's relu4_1 features against the AdaIN target (content) and
the means and spreads of relu1_1..relu4_1 against the painting's (style).
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
from artforge.style.losses import mean_std
from artforge.style.networks import AdaINDecoder, adain, pad_to_multiple

ENCODER_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1")
ADAIN_LAYERS = ("relu4_1", "relu3_1")
TILE = 1024
"""Pictures of more than TILE x TILE pixels are encoded and decoded in TILE-pixel squares,
each with MARGIN pixels of its neighbours around it (more than the encoder's and decoder's
reach), so memory stays bounded; AdaIN still uses the whole picture's statistics, so the
result is the one-piece result up to float rounding."""
MARGIN = 64


@dataclasses.dataclass
class AdaINConfig(Config):
    width: float = 1.0
    """Decoder channels relative to the paper's (256/128/64)."""
    style_size: int = 256
    """Styles are encoded as squares of this side (so ONNX can batch them)."""
    content_weight: float = 1.0
    style_weight: float = 10.0
    layer: str = "relu4_1"
    """The VGG layer whose statistics AdaIN swaps and the decoder inverts: the paper's
    relu4_1, or relu3_1 (a decoder with one stage less, 1/4 instead of 1/8 resolution)."""
    identity_weight: float = 0.0
    """Above 0, the decoder must also give the photo back from its own features (AdaIN of a
    photo with itself), in pixels on the 0-255 scale: SANet's identity loss (Park & Lee 2019),
    meant to teach it the colours sooner. 0 (the default): the paper's objective. Not yet
    shown to help: 104 CPU steps at weight 50 were no better than the paper's loss."""
    init_from: str | None = None
    """The decoder this one was fine-tuned from (--init-from: builtin:adain or a folder's
    path); None: trained from nothing."""

    def validate(self) -> None:
        require([
            (0.05 <= self.width <= 2.0, "--width must be between 0.05 and 2"),
            (32 <= self.style_size <= 1024, "--style-size must be between 32 and 1024"),
            (self.layer in ADAIN_LAYERS, f"--layer must be one of {', '.join(ADAIN_LAYERS)}"),
            (min(self.content_weight, self.style_weight, self.identity_weight) >= 0,
             "loss weights must be 0 or more"),
        ])


class AdaINTransfer(nn.Module):
    """Encoder + AdaIN + decoder as one module: content (1, 3, H, W), styles (K, 3, S, S),
    blend weights (K,), alpha (1,) -> picture. What export-onnx writes."""

    def __init__(self, encoder: nn.Module, decoder: nn.Module, layer: str = "relu4_1") -> None:
        super().__init__()
        self.encoder, self.decoder, self.layer = encoder, decoder, layer

    def forward(self, content: torch.Tensor, styles: torch.Tensor, weights: torch.Tensor,
                alpha: torch.Tensor) -> torch.Tensor:
        features = self.encoder(content)[self.layer]
        return self.decoder(self.mix(features, styles, weights, alpha)).clamp(0.0, 1.0)

    def mix(self, features: torch.Tensor, styles: torch.Tensor, weights: torch.Tensor,
            alpha: torch.Tensor) -> torch.Tensor:
        """The decoder's input: the photo's features with the blended styles' statistics,
        `alpha` of the way."""
        style_mean, style_std = mean_std(self.encoder(styles)[self.layer])
        # AdaIN is linear in the style statistics, so blending the statistics blends the
        # AdaIN outputs (the paper's style interpolation) at the cost of one.
        w = weights.view(-1, 1, 1, 1)
        target = adain(features, (w * style_mean).sum(0, keepdim=True),
                       (w * style_std).sum(0, keepdim=True))
        return alpha.view(1, 1, 1, 1) * target + (1.0 - alpha.view(1, 1, 1, 1)) * features


@MODELS.register("adain")
class AdaINModel(ArtModel):
    kind = "adain"
    config_class = AdaINConfig

    def __init__(self, config: AdaINConfig) -> None:
        super().__init__(config)
        self.decoder = AdaINDecoder(config.width, config.layer)
        self.encoder = FrozenVGG(ENCODER_LAYERS)
        self.tile = TILE

    @property
    def divisor(self) -> int:
        """Picture sides must divide by this: the encoder's downsampling to the AdaIN layer."""
        return 8 if self.config.layer == "relu4_1" else 4

    def transfer_module(self) -> AdaINTransfer:
        device = next(self.decoder.parameters()).device
        return AdaINTransfer(self.encoder.build(device), self.decoder, self.config.layer)

    def square_styles(self, styles: Sequence[torch.Tensor]) -> torch.Tensor:
        """(K, 3, S, S): each style picture resized to the configured square."""
        side = self.config.style_size
        return torch.cat([F.interpolate(s, size=(side, side), mode="bilinear", antialias=True,
                                        align_corners=False) for s in styles])

    @torch.no_grad()
    def stylize(self, content: torch.Tensor, styles: Sequence[torch.Tensor],
                weights: Sequence[float] | None = None, alpha: float = 1.0) -> torch.Tensor:
        """Stylise (1, 3, H, W) with the style pictures (each (1, 3, h, w)) blended by
        `weights`; alpha 0 gives the photo back through the decoder, 1 full style."""
        device = next(self.decoder.parameters()).device
        blend = torch.tensor(weights or [1.0] * len(styles), dtype=torch.float32)
        blend = (blend / blend.sum()).to(device)
        padded, height, width = pad_to_multiple(content.to(device), self.divisor)
        arguments = (self.square_styles(styles).to(device), blend,
                     torch.tensor([alpha], device=device))
        if padded.shape[-2] * padded.shape[-1] <= self.tile ** 2:
            made = self.transfer_module()(padded, *arguments)
        else:
            made = self._tiled(padded, *arguments)
        return made[..., :height, :width]

    def _tiled(self, content: torch.Tensor, styles: torch.Tensor, weights: torch.Tensor,
               alpha: torch.Tensor) -> torch.Tensor:
        """AdaIN in tiles: features tile by tile, AdaIN on all of them, decoding tile by
        tile; each tile sees MARGIN pixels around it, and only its own square is kept."""
        module, step = self.transfer_module(), self.divisor
        height, width = content.shape[-2:]
        squares = [(y, x) for y in range(0, height, self.tile) for x in range(0, width, self.tile)]

        def around(y: int, x: int, margin: int, scale: int) -> tuple[slice, slice, slice, slice]:
            """Slices (in units of `scale` pixels) of the square at (y, x) with its margin,
            and of the square within that."""
            rows, columns = height // scale, width // scale
            top, left = y // scale, x // scale
            bottom = min(rows, top + self.tile // scale)
            right = min(columns, left + self.tile // scale)
            outer_top, outer_left = max(0, top - margin), max(0, left - margin)
            return (slice(outer_top, min(rows, bottom + margin)),
                    slice(outer_left, min(columns, right + margin)),
                    slice(top - outer_top, bottom - outer_top),
                    slice(left - outer_left, right - outer_left))

        features = None
        for y, x in squares:
            rows, columns, inner_rows, inner_columns = around(y, x, MARGIN, 1)
            part = module.encoder(content[..., rows, columns])[module.layer]
            if features is None:
                features = part.new_empty(1, part.shape[1], height // step, width // step)
            inner = part[..., inner_rows.start // step:inner_rows.stop // step,
                         inner_columns.start // step:inner_columns.stop // step]
            features[..., y // step:y // step + inner.shape[-2],
                     x // step:x // step + inner.shape[-1]] = inner
        mixed = module.mix(features, styles, weights, alpha)
        made = content.new_empty(1, 3, height, width)
        for y, x in squares:
            rows, columns, inner_rows, inner_columns = around(y, x, MARGIN // step, step)
            part = self.decoder(mixed[..., rows, columns])
            inner = part[..., inner_rows.start * step:inner_rows.stop * step,
                         inner_columns.start * step:inner_columns.stop * step]
            made[..., y:y + inner.shape[-2], x:x + inner.shape[-1]] = inner
        return made.clamp(0.0, 1.0)

    def training_step(self, batch: dict[str, torch.Tensor], *args) -> dict[str, torch.Tensor]:
        encoder, layer = self.encoder, self.config.layer
        with torch.no_grad():
            content = encoder(batch["content"])[layer]
            style_found = encoder(batch["style"])
            target = adain(content, *mean_std(style_found[layer]))
        made = self.decoder(target)
        found = encoder(made)
        content_loss = F.mse_loss(found[layer], target)
        style_loss = made.new_zeros(())
        for name in ENCODER_LAYERS:
            mean, std = mean_std(found[name])
            style_mean, style_std = mean_std(style_found[name])
            style_loss = style_loss + F.mse_loss(mean, style_mean) + F.mse_loss(std, style_std)
        cfg = self.config
        loss = cfg.content_weight * content_loss + cfg.style_weight * style_loss
        terms = {"content": content_loss.detach(), "style": style_loss.detach()}
        if cfg.identity_weight:
            # AdaIN of the photo with itself is its own features (up to the 1e-5 in the spread).
            again = self.decoder(content)
            identity = F.mse_loss(again * 255.0, batch["content"] * 255.0)
            loss = loss + cfg.identity_weight * identity
            terms["identity"] = identity.detach()
        return {"loss": loss, **terms}
