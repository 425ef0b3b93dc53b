"""Fréchet distance between two sets of feature vectors (Heusel et al. 2017).

FID = |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)). Here the features are VGG16's,
so the number is "FID-VGG16", comparable only with other FID-VGG16 numbers.
"""

import numpy as np
import torch


def frechet_distance(features_a: torch.Tensor, features_b: torch.Tensor) -> float:
    from scipy import linalg

    a, b = features_a.double().numpy(), features_b.double().numpy()
    if len(a) < 2 or len(b) < 2:
        raise ValueError("FID needs at least 2 feature vectors in each set")
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # A small ridge keeps the square root finite when there are fewer samples than features.
    ridge = np.eye(len(cov_a)) * 1e-6
    root = np.real(linalg.sqrtm((cov_a + ridge) @ (cov_b + ridge)))
    return float(np.square(mu_a - mu_b).sum() + np.trace(cov_a + cov_b + 2 * ridge - 2 * root))
