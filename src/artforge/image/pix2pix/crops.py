"""Training and evaluation crops of (line art, picture) pairs, cut identically from both.

Training: a random square of 1 to `zoom` times the crop size, at a random place, resized to
the crop size, flipped left-right half of the time (torch's seeded RNG, so a resumed run
cuts the same crops). Evaluation: fixed, evenly spaced crops at the crop size.
"""

import numpy as np
import torch
import torch.nn.functional as F

from artforge.image.pix2pix.pairs import PairedPictures

CROPS_PER_PICTURE = 50
"""A nominal epoch: how often each picture is cut per pass of the sampler."""


def _to_tensors(pairs: PairedPictures) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return [(torch.from_numpy(np.array(s))[None],
             torch.from_numpy(np.array(p)).permute(2, 0, 1).contiguous())
            for s, p in zip(pairs.sketches, pairs.pictures, strict=True)]


def _scaled(sketch: torch.Tensor, picture: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 (C, H, W) -> floats in [-1, 1]."""
    return sketch.float() / 127.5 - 1, picture.float() / 127.5 - 1


def _resize(crop: torch.Tensor, size: int) -> torch.Tensor:
    if crop.shape[-1] == size:
        return crop
    return F.interpolate(crop[None], size=(size, size), mode="bilinear", antialias=True,
                         align_corners=False)[0]


class PairedCrops(torch.utils.data.Dataset):
    def __init__(self, pairs: PairedPictures, size: int, zoom: float = 1.5,
                 flip: bool = True) -> None:
        self.pairs, self.size, self.zoom, self.flip = _to_tensors(pairs), size, zoom, flip

    def __len__(self) -> int:
        return len(self.pairs) * CROPS_PER_PICTURE

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        sketches, pictures = self.__getitems__([index])
        return sketches[0], pictures[0]

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        sketches, pictures = [], []
        for index in indices:
            sketch, picture = self._crop(*self.pairs[index % len(self.pairs)])
            sketches.append(sketch)
            pictures.append(picture)
        return torch.stack(sketches), torch.stack(pictures)

    def _crop(self, sketch: torch.Tensor, picture: torch.Tensor
              ) -> tuple[torch.Tensor, torch.Tensor]:
        height, width = picture.shape[-2:]
        most = min(height, width, int(self.size * self.zoom))
        side = int(torch.randint(self.size, most + 1, ()))
        top = int(torch.randint(0, height - side + 1, ()))
        left = int(torch.randint(0, width - side + 1, ()))
        box = (slice(None), slice(top, top + side), slice(left, left + side))
        a, b = _scaled(sketch[box], picture[box])
        a, b = _resize(a, self.size), _resize(b, self.size)
        if self.flip and bool(torch.rand(()) < 0.5):
            a, b = a.flip(-1), b.flip(-1)
        return a, b


def fixed_crops(pairs: PairedPictures, size: int, count: int
                ) -> tuple[torch.Tensor, torch.Tensor]:
    """`count` crops at the crop size, spread evenly over the pictures (taken in turn) and
    along each picture's longer side; the same every time."""
    tensors = _to_tensors(pairs)
    per_picture = -(-count // len(tensors))
    sketches, pictures = [], []
    for index in range(count):
        sketch, picture = tensors[index % len(tensors)]
        k = index // len(tensors)
        height, width = picture.shape[-2:]
        fraction = (k + 0.5) / per_picture
        top = round((height - size) * (fraction if height > width else 0.5))
        left = round((width - size) * (fraction if width >= height else 0.5))
        box = (slice(None), slice(top, top + size), slice(left, left + size))
        a, b = _scaled(sketch[box], picture[box])
        sketches.append(a)
        pictures.append(b)
    return torch.stack(sketches), torch.stack(pictures)
