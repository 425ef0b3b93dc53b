"""Kernel Inception Distance (Bińkowski et al. 2018) on any feature vectors.

The unbiased MMD^2 with the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3, averaged
over random subsets; unlike FID it has no bias at small sample sizes, which is why the
small-data benchmark compares KID.
"""

import torch


def _mmd2(x: torch.Tensor, y: torch.Tensor) -> float:
    d = x.shape[1]
    kxx, kyy = (x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    m, n = len(x), len(y)
    within_x = (kxx.sum() - kxx.diagonal().sum()) / (m * (m - 1))
    within_y = (kyy.sum() - kyy.diagonal().sum()) / (n * (n - 1))
    return float(within_x + within_y - 2 * kxy.mean())


def kernel_distance(features_a: torch.Tensor, features_b: torch.Tensor, subsets: int = 50,
                    subset_size: int = 1000, seed: int = 0) -> tuple[float, float]:
    """(mean, standard deviation) of MMD^2 over `subsets` random subsets."""
    a, b = features_a.double(), features_b.double()
    size = min(subset_size, len(a), len(b))
    if size < 2:
        raise ValueError("KID needs at least 2 feature vectors in each set")
    generator = torch.Generator().manual_seed(seed)
    values = torch.tensor([_mmd2(a[torch.randperm(len(a), generator=generator)[:size]],
                                 b[torch.randperm(len(b), generator=generator)[:size]])
                           for _ in range(subsets)])
    return float(values.mean()), float(values.std()) if subsets > 1 else 0.0
