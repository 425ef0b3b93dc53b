"""The registered translation models: `pix2pix` (U-Net + 70x70 PatchGAN) and `pix2pixhd`
(the brief's global generator, optional local enhancer, multi-scale discriminators)."""

import dataclasses
from typing import Any

from torch import nn

from artforge.core.config import require
from artforge.core.registry import MODELS
from artforge.image.pix2pix.model import TranslationConfig, TranslationModel
from artforge.image.pix2pix.networks import norm_layer
from artforge.image.pix2pix.networks.patchgan import MultiscaleDiscriminator
from artforge.image.pix2pix.networks.pix2pixhd import PADDINGS, LocalEnhancer, Pix2PixHDGenerator
from artforge.image.pix2pix.networks.unet import UPSAMPLES, UNetGenerator

MAX_UNET_DOWNS = 8


def _halvings(size: int) -> int:
    """How many times `size` halves to a whole number."""
    return (size & -size).bit_length() - 1


@dataclasses.dataclass
class Pix2PixConfig(TranslationConfig):
    downs: int | None = None
    """U-Net downsamplings; None: as many as the crop size allows, up to 8 (U-Net 256)."""
    dropout: float = 0.0
    """The paper's 0.5 in the inner decoder is its only noise; over a CPU half hour it only
    slowed learning (docs/pix2pix.md, section 6), so it is off by default."""
    upsample: str = "resize"
    """"resize": bilinear 2x + 3x3 conv, no checkerboard (the default); "transpose": the
    paper's 4x4 transposed convs, whose grid short CPU trainings never unlearn."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Pix2PixConfig":
        # Folders saved before `upsample` existed hold transposed-conv weights.
        if isinstance(data, dict) and "upsample" not in data:
            data = {**data, "upsample": "transpose"}
        return super().from_dict(data)

    def __post_init__(self) -> None:
        if self.downs is None:
            self.downs = min(MAX_UNET_DOWNS, _halvings(self.size))
        super().__post_init__()

    def validate(self) -> None:
        super().validate()
        require([
            (5 <= self.downs <= MAX_UNET_DOWNS and self.size % 2**self.downs == 0,
             f"--size must be a multiple of 32 for a U-Net (and of 2^downs={2**self.downs}), "
             f"not {self.size}"),
            (0 <= self.dropout < 1, "dropout must be in [0, 1)"),
            (self.upsample in UPSAMPLES, f"upsample must be one of {', '.join(UPSAMPLES)}"),
        ])


@dataclasses.dataclass
class Pix2PixHDConfig(TranslationConfig):
    gan_loss: str = "lsgan"
    l1_weight: float = 0.0
    feat_weight: float = 10.0
    vgg_weight: float = 10.0
    n_downsampling: int = 3
    n_blocks: int = 9
    padding_type: str = "reflect"
    local_enhancer: bool = False
    """Add Pix2PixHD's local enhancer: the global generator runs at half the size."""
    n_blocks_local: int = 3
    num_d: int = 2

    def validate(self) -> None:
        super().validate()
        multiple = 2**(self.n_downsampling + self.local_enhancer)
        require([
            (1 <= self.n_downsampling <= 5, "n_downsampling must be between 1 and 5"),
            (self.n_blocks >= 0 and self.n_blocks_local >= 0, "n_blocks must be 0 or more"),
            (self.padding_type in PADDINGS, f"padding_type must be one of {', '.join(PADDINGS)}"),
            (self.size % multiple == 0, f"--size must be a multiple of {multiple} for this "
                                        f"Pix2PixHD generator, not {self.size}"),
        ])


@MODELS.register("pix2pix")
class Pix2PixModel(TranslationModel):
    """Isola et al. 2017: U-Net generator, a 70x70 PatchGAN (num_d=1), GAN + L1."""

    kind = "pix2pix"
    config_class = Pix2PixConfig

    def build_networks(self, config: Pix2PixConfig) -> tuple[nn.Module, nn.Module]:
        norm = norm_layer(config.norm)
        generator = UNetGenerator(config.condition_channels, config.output_nc, config.downs,
                                  config.ngf, norm, config.dropout, config.upsample)
        discriminator = MultiscaleDiscriminator(config.condition_channels + config.output_nc,
                                                config.ndf, config.d_layers, config.num_d, norm)
        return generator, discriminator


@MODELS.register("pix2pixhd")
class Pix2PixHDModel(TranslationModel):
    """Wang et al. 2018: the brief's Pix2PixHDGenerator, optionally inside a local enhancer,
    against multi-scale PatchGANs, with feature matching and VGG16 perceptual losses."""

    kind = "pix2pixhd"
    config_class = Pix2PixHDConfig

    def build_networks(self, config: Pix2PixHDConfig) -> tuple[nn.Module, nn.Module]:
        norm = norm_layer(config.norm)
        args = (config.condition_channels, config.output_nc, config.ngf, config.n_downsampling,
                config.n_blocks)
        if config.local_enhancer:
            generator = LocalEnhancer(*args, n_blocks_local=config.n_blocks_local,
                                      norm_layer=norm, padding_type=config.padding_type)
        else:
            generator = Pix2PixHDGenerator(*args, norm_layer=norm,
                                           padding_type=config.padding_type)
        discriminator = MultiscaleDiscriminator(config.condition_channels + config.output_nc,
                                                config.ndf, config.d_layers, config.num_d, norm)
        return generator, discriminator


KINDS = ("pix2pix", "pix2pixhd")
