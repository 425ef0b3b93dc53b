"""FID-VGG16, KID and the memorisation check: each sample beside its nearest training image.

Features are VGG16's relu5_3 maps averaged over space and scaled to unit length (512
numbers per image; cosine geometry, as in perceptual losses), computed at `FEATURE_SIZE`
pixels (other sizes are rescaled), so scores are comparable between runs at any image size.
They are not comparable with Inception FID numbers from papers.
"""

import torch
import torch.nn.functional as F
from PIL import Image

from artforge.encoders.fid import frechet_distance
from artforge.encoders.kid import kernel_distance

FEATURE_SIZE = 64
FEATURE_LAYER = "relu5_3"


@torch.no_grad()
def vgg_features(images: torch.Tensor, batch: int = 50, device: str | torch.device = "cpu"
                 ) -> torch.Tensor:
    """(N, 512) features of images (uint8, or floats in [0, 1]) shaped (N, 3, H, W)."""
    from artforge.encoders.vgg16 import VGG16Features

    net = VGG16Features((FEATURE_LAYER,)).to(device)
    parts = []
    for start in range(0, len(images), batch):
        chunk = images[start:start + batch].to(device)
        chunk = chunk.float() / 255.0 if chunk.dtype == torch.uint8 else chunk.float()
        if chunk.shape[-1] != FEATURE_SIZE:
            chunk = F.interpolate(chunk, size=FEATURE_SIZE, mode="bilinear", antialias=True,
                                  align_corners=False)
        parts.append(F.normalize(net(chunk)[FEATURE_LAYER].mean(dim=(2, 3)), dim=1).cpu())
    return torch.cat(parts)


def distances(generated: torch.Tensor, real: torch.Tensor) -> dict[str, float]:
    """FID-VGG16 and KID (mean and std over subsets) between two feature sets."""
    kid, kid_std = kernel_distance(generated, real)
    return {"fid_vgg16": frechet_distance(generated, real), "kid": kid, "kid_std": kid_std}


def nearest_neighbours(generated: torch.Tensor, real: torch.Tensor) -> tuple[torch.Tensor,
                                                                             torch.Tensor]:
    """For each generated feature vector: index of the nearest real one (cosine) and distance."""
    a, b = F.normalize(generated, dim=1), F.normalize(real, dim=1)
    similarity = a @ b.T
    best, index = similarity.max(dim=1)
    return index, 1 - best


def self_nearest_distance(real: torch.Tensor) -> float:
    """Median distance from each real image to its nearest *other* real image: the scale that
    says whether a sample's nearest distance means "new" or "copied"."""
    a = F.normalize(real, dim=1)
    similarity = a @ a.T
    similarity.fill_diagonal_(-1)
    return float((1 - similarity.max(dim=1).values).median())


def nearest_sheet(samples: torch.Tensor, real: torch.Tensor, index: torch.Tensor,
                  pairs_per_row: int = 4) -> Image.Image:
    """Pairs (sample, nearest training image) side by side; samples and real in [0, 1]."""
    from artforge.image.gan.sampling import grid_image

    tiles = torch.stack([t for i in range(len(samples)) for t in (samples[i], real[index[i]])])
    return grid_image(tiles, columns=2 * pairs_per_row)
