"""Paired translation models: a generator turns line art into a picture, a discriminator
judges (line art, picture) pairs; trained against each other by the Trainer.

The two registered kinds (artforge.image.pix2pix.architectures) build their networks; the
training step and the losses are shared here, weighted by the config: pix2pix is
GAN + 100 x L1, Pix2PixHD is least-squares GAN + 10 x feature matching + 10 x VGG.
"""

import copy
import dataclasses
from pathlib import Path
from typing import Any, ClassVar, Self

import torch
import torch.nn.functional as F
from torch import nn

from artforge.core.config import Config, require
from artforge.core.model import ArtModel
from artforge.core.optimizers import Optimizers
from artforge.image.pix2pix.hints import (
    HINT_CHANNELS,
    SPREAD_CHANNELS,
    no_hints,
    sample_hints,
    spread_hints,
)
from artforge.image.pix2pix.losses import GAN_LOSSES, adversarial, feature_matching, perceptual_loss
from artforge.image.pix2pix.networks import NORMS
from artforge.image.pix2pix.strokes import vary_strokes
from artforge.image.sketch.methods import SketchConfig

MIN_SIZE, MAX_SIZE = 32, 1024


@dataclasses.dataclass
class TranslationConfig(Config):
    size: int = 128
    """Side of the square training crops (256 gives the papers' U-Net 256; 128 is 4x
    cheaper, which is what a CPU can train in half an hour)."""
    input_nc: int = 1
    """Channels of the line art (1: grey)."""
    output_nc: int = 3
    ngf: int = 32
    """Generator width at full resolution (64 in the papers; 32 trains 3-4x faster on CPU)."""
    ndf: int = 32
    norm: str = "instance"
    d_layers: int = 3
    """Stride-2 layers of each PatchGAN: 3 gives 70x70-pixel patches."""
    num_d: int = 1
    """Discriminator scales (1x, 1/2x, 1/4x); pix2pix has one, Pix2PixHD two or three."""
    gan_loss: str = "vanilla"
    l1_weight: float = 100.0
    feat_weight: float = 0.0
    vgg_weight: float = 0.0
    sketch: SketchConfig = dataclasses.field(default_factory=SketchConfig)
    """How the line art of the training pairs was drawn (for pairs made from paintings)."""
    holdout: float = 0.1
    """Share of the pictures kept out of training, for `image eval` (split by name)."""
    hints: bool = True
    """Also read colour hints (artforge.image.pix2pix.hints): the hints and their spread
    colours as seven more input channels, trained with dabs of the real painting's colours.
    Such a model still paints a bare sketch; folders saved before hints existed read none."""
    strokes: bool = False
    """Vary each training crop's line art as a hand draws (wider, fainter, broken, sparse;
    artforge.image.pix2pix.strokes), so sketches drawn on a canvas paint as well as drawn
    line art."""
    init_from: str | None = None
    """The model this one was fine-tuned from (--init-from: builtin:NAME or a folder's path);
    None: trained from nothing."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        if isinstance(data, dict) and "hints" not in data:
            data = {**data, "hints": False}
        return super().from_dict(data)

    @property
    def condition_channels(self) -> int:
        """Channels of the generator's input: the line art, and the hints when used."""
        return self.input_nc + (HINT_CHANNELS + SPREAD_CHANNELS if self.hints else 0)

    def validate(self) -> None:
        require([
            (MIN_SIZE <= self.size <= MAX_SIZE,
             f"--size must be between {MIN_SIZE} and {MAX_SIZE} pixels"),
            (self.input_nc in (1, 3) and self.output_nc in (1, 3),
             "input_nc and output_nc must be 1 (grey) or 3 (RGB)"),
            (self.ngf >= 4 and self.ndf >= 4, "--ngf and --ndf must be at least 4"),
            (self.norm in NORMS, f"--norm must be one of {', '.join(NORMS)}"),
            (1 <= self.d_layers <= 5, "d_layers must be between 1 and 5"),
            (1 <= self.num_d <= 3, "num_d must be between 1 and 3"),
            # The coarsest discriminator must keep at least 2x2 logits for instance norm.
            (self.size // 2**(self.num_d - 1 + self.d_layers) >= 3,
             f"--size {self.size} is too small for {self.num_d} discriminator scale(s) of "
             f"{self.d_layers} layers"),
            (self.gan_loss in GAN_LOSSES, f"gan_loss must be one of {', '.join(GAN_LOSSES)}"),
            (min(self.l1_weight, self.feat_weight, self.vgg_weight) >= 0,
             "loss weights must be 0 or more"),
            (0 <= self.holdout < 1, "--holdout must be in [0, 1)"),
        ])


class TranslationModel(ArtModel):
    manual_optimization = True
    betas: ClassVar[tuple[float, float]] = (0.5, 0.999)

    def __init__(self, config: TranslationConfig) -> None:
        super().__init__(config)
        self.generator, self.discriminator = self.build_networks(config)
        self.preview: tuple[torch.Tensor, torch.Tensor] | None = None
        """Fixed (line art, picture) crops that on_checkpoint translates into a sheet."""
        self.preview_dir: Path | None = None

    def build_networks(self, config: TranslationConfig) -> tuple[nn.Module, nn.Module]:
        raise NotImplementedError

    @property
    def multiple(self) -> int:
        """Input sides must be multiples of this (the generator's total downsampling)."""
        return self.generator.multiple

    def configure_optimizer(self, lr: float, weight_decay: float, betas: tuple[float, float]
                            ) -> dict[str, torch.optim.Optimizer]:
        return {"d": torch.optim.Adam(self.discriminator.parameters(), lr=lr, betas=self.betas),
                "g": torch.optim.Adam(self.generator.parameters(), lr=lr, betas=self.betas)}

    def condition(self, sketch: torch.Tensor, hints: torch.Tensor | None = None) -> torch.Tensor:
        """The generator's input: the line art, with the hint channels (none given: empty)
        and their spread colours when the model reads hints."""
        if not self.config.hints:
            return sketch
        hints = no_hints(sketch) if hints is None else hints
        return torch.cat([sketch, hints, spread_hints(hints)], dim=1)

    def discriminate(self, sketch: torch.Tensor, picture: torch.Tensor
                     ) -> list[list[torch.Tensor]]:
        return self.discriminator(torch.cat([sketch, picture], dim=1))

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor], optimizers: Optimizers
                      ) -> dict[str, torch.Tensor]:
        sketch, real = batch
        if self.config.strokes:
            sketch = vary_strokes(sketch)
        if self.config.hints:
            sketch = self.condition(sketch, sample_hints(real))
        fake = self.generator(sketch)
        # 1. The discriminator learns to tell real pairs from generated ones.
        kind = self.config.gan_loss
        d_loss = 0.5 * (adversarial(kind, self.discriminate(sketch, real), True)
                        + adversarial(kind, self.discriminate(sketch, fake.detach()), False))
        optimizers.zero_grad("d")
        optimizers.backward(d_loss)
        optimizers.step("d")
        # 2. The generator learns to fool it while staying close to the real picture.
        self.discriminator.requires_grad_(False)
        parts = self.generator_losses(sketch, real, fake)
        g_loss = sum(parts.values())
        optimizers.zero_grad("g")
        optimizers.backward(g_loss)
        optimizers.step("g")
        self.discriminator.requires_grad_(True)
        logged = {name: value.detach() for name, value in parts.items()}
        return {"loss": d_loss.detach() + g_loss.detach(), "d_loss": d_loss.detach(),
                "g_loss": g_loss.detach(), **logged}

    def generator_losses(self, sketch: torch.Tensor, real: torch.Tensor, fake: torch.Tensor
                         ) -> dict[str, torch.Tensor]:
        """The weighted terms of the generator's loss, by name (zero weights are skipped)."""
        cfg = self.config
        fake_scales = self.discriminate(sketch, fake)
        parts = {"g_gan": adversarial(cfg.gan_loss, fake_scales, True)}
        if cfg.l1_weight:
            parts["l1"] = cfg.l1_weight * F.l1_loss(fake, real)
        if cfg.feat_weight:
            with torch.no_grad():
                real_scales = self.discriminate(sketch, real)
            parts["feat"] = cfg.feat_weight * feature_matching(fake_scales, real_scales)
        if cfg.vgg_weight:
            parts["vgg"] = cfg.vgg_weight * perceptual_loss(fake, real)
        return parts

    @torch.no_grad()
    def translate(self, sketch: torch.Tensor, hints: torch.Tensor | None = None
                  ) -> torch.Tensor:
        """Pictures in [-1, 1] from line art in [-1, 1] (sides multiples of `multiple`) and,
        for a model that reads them, hint channels (none: a bare sketch)."""
        return self.generator(self.condition(sketch, hints))

    # Progress sheets -----------------------------------------------------------------------
    def on_checkpoint(self, folder: Path, weights: dict[str, torch.Tensor]) -> None:
        if self.preview is None or self.preview_dir is None:
            return
        from artforge.image.pix2pix.sheets import save_preview

        generator = copy.deepcopy(self.generator).cpu().eval()
        prefix = "generator."
        generator.load_state_dict({k[len(prefix):]: v.cpu() for k, v in weights.items()
                                   if k.startswith(prefix)})
        step = int(folder.name.removeprefix("step-"))
        sketch, real = self.preview
        with torch.no_grad():
            fake = generator(self.condition(sketch))
        save_preview(sketch, fake, real, Path(self.preview_dir) / f"step-{step:08d}.png",
                     {"step": step, "kind": self.kind})
