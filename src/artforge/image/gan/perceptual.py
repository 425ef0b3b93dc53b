"""The perceptual distance FastGAN's discriminator decoders are trained with.

Liu et al. (2021) train the decoders with LPIPS (Zhang et al. 2018). Its learned per-channel
weights cannot be downloaded here, so this is LPIPS's form with all weights 1: VGG16
ImageNet feature maps from a few depths, each unit-normalised across channels at every
position, compared by squared distance, averaged over positions, summed over depths.
Matching normalised features rewards rebuilding structure and texture rather than the
blurry per-pixel mean an MSE settles for.
"""

import functools

import torch

LAYERS = ("relu1_2", "relu2_2", "relu3_3")


@functools.cache
def _vgg():
    """One frozen VGG16 per process; kept outside the GAN so checkpoints do not carry it."""
    from artforge.encoders.vgg16 import VGG16Features

    return VGG16Features(LAYERS)


def _unit(features: torch.Tensor) -> torch.Tensor:
    return features / (features.square().sum(dim=1, keepdim=True).sqrt() + 1e-10)


def perceptual_distance(images: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean over the batch of the distance between `images` and `targets`, both (N, 3, H, W)
    in [-1, 1]; gradients flow to `images` only."""
    net = _vgg().to(images.device)
    seen = net((images + 1) / 2)
    with torch.no_grad():
        wanted = net((targets + 1) / 2)
    total = images.new_zeros((), dtype=torch.float32)
    for layer in LAYERS:
        difference = _unit(seen[layer].float()) - _unit(wanted[layer].float())
        total = total + difference.square().sum(dim=1).mean()
    return total
