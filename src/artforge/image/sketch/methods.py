"""Line art from a picture by HED, XDoG or Canny, cleaned into pen lines.

`line_art(picture, SketchConfig())` takes an RGB uint8 array (H, W, 3) and returns black
lines on white, uint8 (H, W). HED (a network trained on human-drawn contours) finds the
lines a person would draw; XDoG (a sharpened difference of Gaussians, Winnemöller 2012)
and Canny need no weights and follow every change of tone.
"""

import dataclasses
import functools

import numpy as np

from artforge.core.config import Config, require
from artforge.image.sketch.cleanup import clear_border, ink, pen_lines, remove_short

METHODS = ("hed", "xdog", "canny")
MIN_SIDE = 16
"""Smaller pictures have no room for a line; HED's five scales need at least 16 pixels."""
DRAWING_VERSION = 1
"""Raised whenever the drawing changes for the same options, so cached line art is redrawn."""


@dataclasses.dataclass
class SketchConfig(Config):
    method: str = "hed"
    detail: float = 0.5
    """0 keeps only the strongest lines, 1 keeps faint ones too."""
    width: int = 2
    """Line width in pixels."""
    min_length: int = 15
    """Pieces of line shorter than this many pixels are dropped as specks."""

    def validate(self) -> None:
        require([
            (self.method in METHODS, f"--method must be one of {', '.join(METHODS)}"),
            (0.0 <= self.detail <= 1.0, "--detail must be between 0 and 1"),
            (1 <= self.width <= 8, "--width must be between 1 and 8 pixels"),
            (self.min_length >= 1, "--min-length must be at least 1"),
        ])


@functools.lru_cache(maxsize=1)
def _hed_network():
    from artforge.encoders.hed import HED

    return HED()


def hed_strength(picture: np.ndarray) -> np.ndarray:
    """HED's edge probability (float HxW in [0, 1]) of an RGB uint8 picture."""
    import torch

    images = torch.from_numpy(np.array(picture)).permute(2, 0, 1)[None].float()
    with torch.inference_mode():
        return _hed_network()(images / 255.0)[0, 0].numpy()


def _hed(picture: np.ndarray, config: SketchConfig) -> np.ndarray:
    high = 0.7 - 0.5 * config.detail
    return pen_lines(hed_strength(picture), low=high / 3, high=high,
                     min_pixels=config.min_length)


def _gray(picture: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(np.ascontiguousarray(picture), cv2.COLOR_RGB2GRAY)


def _xdog(picture: np.ndarray, config: SketchConfig, sigma: float = 1.0, k: float = 1.6,
          tau: float = 0.98) -> np.ndarray:
    """XDoG in its line-drawing setting (tau just below 1): pixels on the dark side of a
    contrast, where the fine blur falls below tau times the coarse one by a margin, thinned
    to one-pixel lines. Flat areas, dark or light, stay white."""
    from scipy import ndimage
    from skimage.morphology import thin

    gray = _gray(picture).astype(np.float64) / 255.0
    fine, coarse = (ndimage.gaussian_filter(gray, s) for s in (sigma, k * sigma))
    margin = 0.03 - 0.025 * config.detail
    dark_side = clear_border(fine - tau * coarse < -margin)
    return remove_short(thin(dark_side), config.min_length)


def _canny(picture: np.ndarray, config: SketchConfig) -> np.ndarray:
    """Canny with thresholds from Otsu's split of the blurred grey levels."""
    import cv2

    gray = cv2.GaussianBlur(_gray(picture), (5, 5), 1.4)
    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    high = max(10.0, otsu * (1.5 - config.detail))
    edges = cv2.Canny(gray, high / 2, high) > 0
    return remove_short(clear_border(edges), config.min_length)


_DETECTORS = {"hed": _hed, "xdog": _xdog, "canny": _canny}


def line_art(picture: np.ndarray, config: SketchConfig | None = None) -> np.ndarray:
    """Black pen lines on white (uint8 HxW) of an RGB uint8 picture (HxWx3)."""
    config = config or SketchConfig()
    lines = _DETECTORS[config.method](picture, config)
    return ink(lines, config.width)
