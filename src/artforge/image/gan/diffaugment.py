"""Differentiable augmentation (Zhao et al. 2020) with an ADA-style strength (Karras et al. 2020).

The same random colour, translation and cutout are applied to real and generated images
before the discriminator sees them, so D cannot memorise a small set and G still gets
gradients through them. Each transform hits a sample with probability `p`; with the
adaptive heuristic, `p` rises while D is over-confident on reals (E[sign D(x)] > target)
and falls otherwise.
"""

import torch
import torch.nn.functional as F

POLICIES = ("color", "translation", "cutout")


def _chosen(images: torch.Tensor, p: float) -> torch.Tensor:
    """(N, 1, 1, 1) mask of the samples a transform applies to."""
    return (torch.rand(images.shape[0], 1, 1, 1, device=images.device) < p).to(images.dtype)


def color(images: torch.Tensor, p: float) -> torch.Tensor:
    n = images.shape[0]
    mask = _chosen(images, p)
    brightness = (torch.rand(n, 1, 1, 1, device=images.device) - 0.5) * mask
    out = images + brightness
    mean = out.mean(dim=1, keepdim=True)
    saturation = 1 + (torch.rand(n, 1, 1, 1, device=images.device) * 2 - 1) * mask
    out = (out - mean) * saturation + mean
    mean = out.mean(dim=[1, 2, 3], keepdim=True)
    contrast = 1 + (torch.rand(n, 1, 1, 1, device=images.device) - 0.5) * mask
    return (out - mean) * contrast + mean


def translation(images: torch.Tensor, p: float, ratio: float = 0.125) -> torch.Tensor:
    """Shift by up to `ratio` of the size, padding with zeros (a gather, so differentiable)."""
    n, _, h, w = images.shape
    mask = _chosen(images, p).view(n, 1, 1)
    sx, sy = int(h * ratio + 0.5), int(w * ratio + 0.5)
    dx = torch.randint(-sx, sx + 1, (n, 1, 1), device=images.device) * mask.long()
    dy = torch.randint(-sy, sy + 1, (n, 1, 1), device=images.device) * mask.long()
    rows = torch.arange(h, device=images.device).view(1, h, 1)
    cols = torch.arange(w, device=images.device).view(1, 1, w)
    rows = (rows + dx + 1).clamp(0, h + 1)
    cols = (cols + dy + 1).clamp(0, w + 1)
    padded = F.pad(images, [1, 1, 1, 1])
    batch = torch.arange(n, device=images.device).view(n, 1, 1)
    return padded.permute(0, 2, 3, 1)[batch, rows, cols].permute(0, 3, 1, 2)


def cutout(images: torch.Tensor, p: float, ratio: float = 0.5) -> torch.Tensor:
    """Zero a square of `ratio` of the size at a random place."""
    n, _, h, w = images.shape
    ch, cw = int(h * ratio + 0.5), int(w * ratio + 0.5)
    cy = torch.randint(0, h + (1 - ch % 2), (n, 1, 1), device=images.device)
    cx = torch.randint(0, w + (1 - cw % 2), (n, 1, 1), device=images.device)
    rows = torch.arange(h, device=images.device).view(1, h, 1)
    cols = torch.arange(w, device=images.device).view(1, 1, w)
    inside = ((rows - cy).abs() <= ch // 2) & ((cols - cx).abs() <= cw // 2)
    hit = _chosen(images, p).view(n, 1, 1) > 0
    keep = ~(inside & hit)
    return images * keep.unsqueeze(1).to(images.dtype)


TRANSFORMS = {"color": color, "translation": translation, "cutout": cutout}


def diff_augment(images: torch.Tensor, policy: tuple[str, ...], p: float = 1.0) -> torch.Tensor:
    if p <= 0:
        return images
    for name in policy:
        images = TRANSFORMS[name](images, p)
    return images


def adapt_strength(p: float, real_sign_mean: float, target: float, images_seen: int,
                   speed_images: int = 20_000) -> float:
    """One ADA update: move p by images_seen / speed_images towards less overfitting."""
    direction = 1.0 if real_sign_mean > target else -1.0
    return min(1.0, max(0.0, p + direction * images_seen / speed_images))
