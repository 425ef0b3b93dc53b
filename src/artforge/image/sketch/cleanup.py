"""From a soft edge map to pen lines: thin ridges, keep strong ones, drop specks, ink them.

HED's edges are a few pixels wide; thresholding them directly and thinning the blobs gives
a mesh of medial axes. So the ridges are thinned first by non-maximum suppression across
each ridge (the direction comes from the smoothed structure tensor of the gradients), then
kept by hysteresis (weak pixels survive only when joined to strong ones, as in Canny),
reduced to one-pixel skeletons, stripped of short fragments and drawn `width` pixels wide.
"""

import numpy as np
from scipy import ndimage

BORDER = 3
"""Pixels along the picture's edge where the networks' zero padding makes false edges."""


def non_maximum_suppression(strength: np.ndarray, smooth: float = 2.0) -> np.ndarray:
    """`strength` where it is a maximum across its ridge, else 0 (float HxW in [0, 1])."""
    dy, dx = np.gradient(strength.astype(np.float64))
    jxx, jyy, jxy = (ndimage.gaussian_filter(g, smooth) for g in (dx * dx, dy * dy, dx * dy))
    # The structure tensor's main axis: the direction the gradients around a point share,
    # which is across the ridge on its flanks and, by their average, on its crest too.
    normal = 0.5 * np.arctan2(2 * jxy, jxx - jyy)
    rows, cols = np.mgrid[0:strength.shape[0], 0:strength.shape[1]].astype(np.float64)
    keep = np.ones(strength.shape, dtype=bool)
    for step in (-1.0, 1.0):
        beside = ndimage.map_coordinates(strength, [rows + step * np.sin(normal),
                                                    cols + step * np.cos(normal)],
                                         order=1, mode="nearest")
        keep &= strength >= beside
    return np.where(keep, strength, 0.0)


def remove_short(mask: np.ndarray, min_pixels: int) -> np.ndarray:
    """`mask` without 8-connected pieces of fewer than `min_pixels` pixels."""
    if min_pixels <= 1 or not mask.any():
        return mask
    labels, _ = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
    sizes = np.bincount(labels.ravel())
    keep = sizes >= min_pixels
    keep[0] = False
    return keep[labels]


def clear_border(mask: np.ndarray, margin: int = BORDER) -> np.ndarray:
    out = mask.copy()
    out[:margin], out[-margin:], out[:, :margin], out[:, -margin:] = False, False, False, False
    return out


def ink(mask: np.ndarray, width: int) -> np.ndarray:
    """Lines `width` pixels wide, black (0) on white (255), as uint8 HxW."""
    if width > 1:
        mask = ndimage.binary_dilation(mask, structure=np.ones((width, width), dtype=bool))
    return np.where(mask, 0, 255).astype(np.uint8)


def pen_lines(strength: np.ndarray, *, low: float, high: float, min_pixels: int,
              thin_ridges: bool = True) -> np.ndarray:
    """One-pixel lines (bool HxW) from an edge strength map in [0, 1]."""
    from skimage.filters import apply_hysteresis_threshold
    from skimage.morphology import thin

    ridges = non_maximum_suppression(strength) if thin_ridges else strength
    mask = clear_border(apply_hysteresis_threshold(ridges, low, high))
    return remove_short(thin(mask), min_pixels)
