"""The losses of neural style transfer, shared by the optimisation and the trained networks.

Content and style losses are *relative*: a squared error divided by the squared size of its
target. Each layer then starts near 1 whatever its depth, the picture's size or the VGG's
weights (Caffe 0-255 or torchvision inputs), so one set of weights works everywhere.
"""

import torch
import torch.nn.functional as F

EPS = 1e-8


def gram(features: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """(B, C, C) Gram matrices of (B, C, H, W) features, averaged over positions.

    With a (B, 1, h, w) mask (resized here to H x W), only the masked positions count."""
    if mask is not None:
        mask = F.interpolate(mask, size=features.shape[-2:], mode="bilinear",
                             align_corners=False)
        features = features * mask
        positions = mask.sum(dim=(1, 2, 3)).clamp_min(1.0).view(-1, 1, 1)
    else:
        positions = features.shape[-1] * features.shape[-2]
    flat = features.flatten(2)
    return flat @ flat.transpose(1, 2) / positions


def relative_mse(value: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """||value - target||^2 / ||target||^2, per example, averaged over the batch."""
    dims = tuple(range(1, value.dim()))
    error = (value - target).square().sum(dims)
    return (error / target.square().sum(dims).clamp_min(EPS)).mean()


def style_loss(features: dict[str, torch.Tensor], targets: dict[str, torch.Tensor],
               layer_weights: dict[str, float], mask: torch.Tensor | None = None
               ) -> torch.Tensor:
    """Weighted relative Gram error over the style layers (targets: Gram matrices)."""
    total = features[next(iter(layer_weights))].new_zeros(())
    for name, weight in layer_weights.items():
        total = total + weight * relative_mse(gram(features[name], mask),
                                              targets[name].expand(len(features[name]), -1, -1))
    return total


def content_loss(features: dict[str, torch.Tensor], targets: dict[str, torch.Tensor],
                 layers: tuple[str, ...]) -> torch.Tensor:
    total = features[layers[0]].new_zeros(())
    for name in layers:
        total = total + relative_mse(features[name], targets[name])
    return total / len(layers)


def tv_loss(images: torch.Tensor) -> torch.Tensor:
    """Total variation: mean squared difference of neighbouring pixels (images in [0, 1])."""
    dx = images[..., :, 1:] - images[..., :, :-1]
    dy = images[..., 1:, :] - images[..., :-1, :]
    return dx.square().mean() + dy.square().mean()


def temporal_loss(images: torch.Tensor, warped_previous: torch.Tensor,
                  reliable: torch.Tensor) -> torch.Tensor:
    """Ruder et al.'s short-term temporal loss: squared distance to the previous stylised frame
    warped by the optical flow, counted only where the flow is reliable (not occluded)."""
    error = (images - warped_previous).square() * reliable
    return error.sum() / (reliable.sum() * images.shape[1]).clamp_min(1.0)


def mean_std(features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and standard deviation over positions: (B, C, 1, 1) each, in one
    pass over the features."""
    var, mean = torch.var_mean(features, dim=(2, 3), keepdim=True, correction=0)
    return mean, (var + 1e-5).sqrt()
