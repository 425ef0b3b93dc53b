"""The registered GAN architectures: `dcgan`, `stylegan`, `stylegan-lite` and `fastgan`."""

from typing import Any

import torch
from torch import nn

from artforge.core.registry import MODELS
from artforge.image.gan.model import GANConfig, GANModel
from artforge.image.gan.networks.dcgan import DCGANDiscriminator, DCGANGenerator
from artforge.image.gan.networks.fastgan import FastDiscriminator, FastGenerator
from artforge.image.gan.networks.stylegan import StyleDiscriminator, StyleGenerator
from artforge.image.gan.networks.stylegan_lite import StridedDown


@MODELS.register("dcgan")
class DCGANModel(GANModel):
    """The classic DCGAN networks, trained with this project's small-data recipe
    (DiffAugment, EMA, hinge or minimax loss, optional R1). Its D has no batch norm when
    R1 is on, since a per-batch statistic makes the per-image gradient penalty ill-defined."""

    kind = "dcgan"

    def build_networks(self, config: GANConfig) -> tuple[nn.Module, nn.Module]:
        return (DCGANGenerator(config.z_dim, config.size, config.channels, config.max_channels),
                DCGANDiscriminator(config.size, config.channels, config.max_channels,
                                   batch_norm=config.r1_gamma == 0))


@MODELS.register("stylegan")
class StyleGANModel(GANModel):
    """StyleGAN2 at small sizes; trained with style mixing, sampled with truncation in w."""

    kind = "stylegan"
    betas = (0.0, 0.99)

    def build_networks(self, config: GANConfig) -> tuple[nn.Module, nn.Module]:
        return (StyleGenerator(config.z_dim, config.w_dim, config.mapping_layers, config.size,
                               config.channels, config.max_channels),
                StyleDiscriminator(config.size, config.channels, config.max_channels))

    def generate_for_training(self, z: torch.Tensor) -> torch.Tensor:
        if torch.rand(()) < self.config.mixing:
            crossover = int(torch.randint(1, self.generator.num_ws, ()))
            return self.generator(z, mix_z=torch.randn_like(z), crossover=crossover)
        return self.generator(z)

    @torch.no_grad()
    def generate(self, z: torch.Tensor, truncation: float = 1.0, **options: Any) -> torch.Tensor:
        return self.generator(z, truncation, **options)

    def mixing_sheet(self, n: int, seed: int, crossover: int, truncation: float = 1.0):
        """Row 0: n sources of coarse styles; column 0: n sources of fine styles; cell (i, j):
        layers before `crossover` from column j's source, the rest from row i's."""
        from artforge.image.gan.sampling import generate, grid_image, seeded_latents

        crossover = max(1, min(crossover, self.generator.num_ws - 1))
        coarse, fine = seeded_latents(self, 2 * n, seed).split(n)
        top, left = generate(self, coarse, seed, truncation), generate(self, fine, seed,
                                                                         truncation)
        blank = torch.ones_like(top[:1])
        tiles = [blank, *top]
        for row in range(n):
            mixed = generate(self, coarse, seed, truncation, mix_z=fine[row:row + 1].expand(n, -1),
                             crossover=crossover)
            tiles += [left[row:row + 1], *mixed]
        return grid_image(torch.cat([t.reshape(-1, *top.shape[1:]) for t in tiles]), n + 1)


@MODELS.register("stylegan-lite")
class StyleGANLiteModel(StyleGANModel):
    """StyleGAN2 cut to near DCGAN's cost on a CPU: one modulated convolution per resolution
    in G (the upsampling one; one w each, so fewer styles to mix), one strided convolution
    per halving in D, straight from the pixels. Trained and sampled as stylegan: style
    mixing, truncation in w, the mixing sheet."""

    kind = "stylegan-lite"

    def build_networks(self, config: GANConfig) -> tuple[nn.Module, nn.Module]:
        return (StyleGenerator(config.z_dim, config.w_dim, config.mapping_layers, config.size,
                               config.channels, config.max_channels, convs_per_resolution=1),
                StyleDiscriminator(config.size, config.channels, config.max_channels,
                                   block=StridedDown, from_rgb=False))


@MODELS.register("fastgan")
class FastGANModel(GANModel):
    """FastGAN: skip-layer excitation generator, self-supervised discriminator (hinge loss in
    the paper; the perceptual reconstruction loss of its decoders joins D's loss on reals)."""

    kind = "fastgan"

    def build_networks(self, config: GANConfig) -> tuple[nn.Module, nn.Module]:
        return (FastGenerator(config.z_dim, config.size, config.channels, config.max_channels),
                FastDiscriminator(config.size, config.channels, config.max_channels))

    def discriminate_real(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        from artforge.image.gan.perceptual import perceptual_distance

        part = int(torch.randint(0, 4, ()))
        logits, pairs = self.discriminator.forward_with_reconstruction(images, part)
        return logits, sum(perceptual_distance(rebuilt, target) for rebuilt, target in pairs)
