"""The losses of paired translation: adversarial (vanilla or least squares) over every
discriminator scale, Pix2PixHD's feature matching, L1, and a VGG16 perceptual loss.

The VGG16 network is frozen and shared; it is kept out of the models' state dicts so that a
saved pix2pix folder holds only its own weights.
"""

import functools

import torch
import torch.nn.functional as F

GAN_LOSSES = ("vanilla", "lsgan")
VGG_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
VGG_WEIGHTS = (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1.0)
"""Pix2PixHD's weights: deep layers (content) count more than shallow ones (texture)."""


def adversarial(kind: str, scales: list[list[torch.Tensor]], real: bool) -> torch.Tensor:
    """Mean over discriminator scales of the loss of their final logit maps."""
    total = scales[0][-1].new_zeros(())
    for features in scales:
        logits = features[-1]
        target = torch.ones_like(logits) if real else torch.zeros_like(logits)
        if kind == "lsgan":
            total = total + F.mse_loss(logits, target)
        else:
            total = total + F.binary_cross_entropy_with_logits(logits, target)
    return total / len(scales)


def feature_matching(fake: list[list[torch.Tensor]], real: list[list[torch.Tensor]]
                     ) -> torch.Tensor:
    """L1 between D's intermediate features on generated and real pairs, averaged over the
    layers and scales (Pix2PixHD eq. 4); the real features are constants."""
    total = fake[0][0].new_zeros(())
    count = 0
    for fake_scale, real_scale in zip(fake, real, strict=True):
        for a, b in zip(fake_scale[:-1], real_scale[:-1], strict=True):
            total = total + F.l1_loss(a, b.detach())
            count += 1
    return total / max(count, 1)


@functools.lru_cache(maxsize=2)
def vgg_network(device: str):
    from artforge.encoders.vgg16 import VGG16Features

    return VGG16Features(VGG_LAYERS).to(device)


def _vgg_input(images: torch.Tensor) -> torch.Tensor:
    """[-1, 1] -> [0, 1], as VGG16Features expects."""
    return (images + 1) / 2


def perceptual_loss(fake: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Weighted L1 between VGG16 features of generated and real pictures (in [-1, 1])."""
    net = vgg_network(str(fake.device))
    ours, theirs = net(_vgg_input(fake)), net(_vgg_input(real))
    return sum(w * F.l1_loss(ours[name], theirs[name].detach())
               for w, name in zip(VGG_WEIGHTS, VGG_LAYERS, strict=True))


@torch.no_grad()
def perceptual_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """LPIPS-like distance per image (N,) of pictures in [-1, 1]: features unit-normalised
    across channels at each position, squared differences averaged over space and layers
    (LPIPS's form, without its learned per-channel weights)."""
    net = vgg_network(str(a.device))
    ours, theirs = net(_vgg_input(a)), net(_vgg_input(b))
    layers = [(F.normalize(ours[n], dim=1) - F.normalize(theirs[n], dim=1)).square().sum(1)
              .mean(dim=(1, 2)) for n in VGG_LAYERS]
    return torch.stack(layers).mean(0)
