"""The frozen VGG that scores the style networks' training, kept outside their parameters."""

import torch

from artforge.encoders.vgg16 import VGG16Features


class FrozenVGG:
    """VGG features for `layers`, built on first use and never saved with a model.

    Building it runs nn.Conv2d's random initialisation (then overwritten by the weights);
    that happens under a forked RNG, so a run resumed before the first build draws the
    same random numbers as one that never stopped."""

    def __init__(self, layers: tuple[str, ...]) -> None:
        self.layers = layers
        self.net: VGG16Features | None = None

    def build(self, device: torch.device) -> VGG16Features:
        if self.net is None:
            from artforge.encoders.vgg16 import load_vgg

            with torch.random.fork_rng(devices=[]):
                self.net = load_vgg(self.layers)
        self.net = self.net.to(device)
        return self.net

    def __call__(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.build(images.device)(images)
