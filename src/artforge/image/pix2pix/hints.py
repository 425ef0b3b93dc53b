"""Colour hints: dabs of colour the artist puts on a sketch, so the model paints the roof red
and the sky blue instead of guessing from the collection (Zhang et al. 2017, "Real-time
user-guided image colorization", for pix2pix).

Hints are four channels the size of the sketch: the hint colours (RGB in [-1, 1], zero
where there is no hint) and a mask (1 where there is one). A model trained with `hints`
reads them beside the line art, with three more: the hint colours spread over the whole
picture by push-pull interpolation (`spread_hints`), so every pixel starts from the colour of
the hints around it and the network only has to learn where the lines stop a colour, which
a CPU half hour can teach; from the sparse dabs alone it had only learnt to repeat each
dab in place (docs/pix2pix.md). In training the hints are dabs sampled from the real
painting: none for a share of the crops (so the model still paints a bare sketch),
otherwise a geometric number of small squares, each filled with the painting's mean colour
under it.
"""

import numpy as np
import torch
import torch.nn.functional as F

HINT_CHANNELS = 4
"""RGB of the hints (times the mask) and the mask."""
SPREAD_CHANNELS = 3
"""The hint colours spread over the picture, which the generator reads too."""
NO_HINTS_SHARE = 0.25
"""Share of the training crops that get no hints."""
MEAN_DABS = 8.0
"""Mean number of dabs on a crop that has hints (geometric, as in Zhang et al.)."""
MAX_DABS = 64
DAB_SHARE = 1 / 16
"""The largest dab's side as a share of the crop's side (8 px on a 128 px crop)."""
WHITE = 245
"""In a hint picture without transparency, pixels this light on every channel are paper."""


def no_hints(like: torch.Tensor) -> torch.Tensor:
    """Empty hint channels (B, 4, H, W) for a batch shaped like `like`."""
    batch, _, height, width = like.shape
    return like.new_zeros(batch, HINT_CHANNELS, height, width)


def _dab_count(generator: torch.Generator | None) -> int:
    if float(torch.rand((), generator=generator)) < NO_HINTS_SHARE:
        return 0
    # Geometric on 1, 2, ... with mean MEAN_DABS, from one uniform draw.
    u = float(torch.rand((), generator=generator))
    count = 1 + int(np.log1p(-u) / np.log1p(-1.0 / MEAN_DABS))
    return min(count, MAX_DABS)


def sample_hints(pictures: torch.Tensor, generator: torch.Generator | None = None,
                 count: int | None = None) -> torch.Tensor:
    """Hint channels (B, 4, H, W) sampled from `pictures` (B, 3, H, W) in [-1, 1]: each
    picture gets no dabs or a geometric number of squares (`count` each if given) of 1 to
    H/16 pixels, each the mean colour of the picture under it. Uses torch's RNG by default
    (seeded runs resume identically)."""
    batch, _, height, width = pictures.shape
    hints = no_hints(pictures)
    largest = max(1, round(min(height, width) * DAB_SHARE))
    for index in range(batch):
        for _ in range(_dab_count(generator) if count is None else count):
            side = int(torch.randint(1, largest + 1, (), generator=generator))
            top = int(torch.randint(0, height - side + 1, (), generator=generator))
            left = int(torch.randint(0, width - side + 1, (), generator=generator))
            box = (slice(top, top + side), slice(left, left + side))
            colour = pictures[index, :, box[0], box[1]].mean(dim=(1, 2))
            hints[index, :3, box[0], box[1]] = colour[:, None, None]
            hints[index, 3, box[0], box[1]] = 1.0
    return hints


def spread_hints(hints: torch.Tensor) -> torch.Tensor:
    """The hint colours (B, 3, H, W) interpolated over the whole picture from `hints`
    (B, 4, H, W) by push-pull (Gortler et al. 1996): average colour and mask down a pyramid
    of 2x2 means, then fill each level's gaps from the level below, upsampled. A pixel far
    from every hint gets a blend of the nearest ones; a picture without hints gets zeros."""
    colour, mask = hints[:, :3], hints[:, 3:]
    levels = [(colour, mask)]
    while max(levels[-1][1].shape[-2:]) > 1:
        colour = F.avg_pool2d(colour, 2, ceil_mode=True)
        mask = F.avg_pool2d(mask, 2, ceil_mode=True)
        levels.append((colour, mask))
    filled = None
    for colour, mask in reversed(levels):
        mean = colour / mask.clamp_min(1e-8)
        if filled is None:
            filled = mean * (mask > 0)
            continue
        below = F.interpolate(filled, size=mask.shape[-2:], mode="bilinear",
                              align_corners=False)
        # A level's own hints count fully once they cover a quarter of a pixel.
        weight = (4 * mask).clamp(max=1.0)
        filled = weight * mean + (1 - weight) * below
    return filled


def read_hint_pixels(rgba: np.ndarray) -> torch.Tensor:
    """Hint channels (1, 4, H, W) from a hint picture, uint8 (H, W, 3 or 4): its opaque pixels
    (alpha of 128 or more) are hints; without an alpha channel, every pixel that is not
    white paper (a few strokes of colour on a white page)."""
    colours = torch.from_numpy(np.ascontiguousarray(rgba[..., :3])).permute(2, 0, 1).float()
    if rgba.shape[-1] == 4:
        mask = torch.from_numpy(rgba[..., 3] >= 128)
    else:
        mask = torch.from_numpy((rgba[..., :3] < WHITE).any(axis=-1))
    mask = mask.float()[None]
    return torch.cat([(colours / 127.5 - 1) * mask, mask])[None]


def resize_hints(hints: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """`hints` (1, 4, H, W) at `size` (height, width): each new pixel is a hint when any hint
    fell in it, coloured with the mean of those hints (so thin strokes survive a shrink)."""
    if tuple(hints.shape[-2:]) == tuple(size):
        return hints
    area = F.interpolate(hints, size=size, mode="area")
    mask = area[:, 3:] > 0
    colours = area[:, :3] / area[:, 3:].clamp_min(1e-6)
    return torch.cat([colours * mask, mask.float()], dim=1)


def dabs_from_picture(picture: np.ndarray, count: int, seed: int) -> np.ndarray:
    """A hint picture, RGBA uint8 (H, W, 4), of `count` square dabs at seeded random places
    of `picture` (H, W, 3), each the mean colour under it: the colours of a photo or painting
    put on its line art, as an artist would dab them. Dabs are 1/40 of the shorter side."""
    height, width = picture.shape[:2]
    side = max(1, round(min(height, width) / 40))
    rng = np.random.default_rng(seed)
    hints = np.zeros((height, width, 4), np.uint8)
    for _ in range(count):
        top = int(rng.integers(0, height - side + 1))
        left = int(rng.integers(0, width - side + 1))
        box = (slice(top, top + side), slice(left, left + side))
        hints[box[0], box[1], :3] = picture[box[0], box[1]].reshape(-1, 3).mean(axis=0).round()
        hints[box[0], box[1], 3] = 255
    return hints
