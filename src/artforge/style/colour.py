"""Colour preservation (Gatys et al. 2016, "Preserving Color in Neural Artistic Style Transfer").

Two ways to keep the photo's colours while taking the painting's strokes:
- "luminance": transfer on luminance only. The style's luminance is matched to the photo's
  mean and spread, both are turned grey, and the result's luminance is joined to the photo's
  chroma (YIQ) at the end.
- "histogram": before the transfer, the style picture's colours are mapped linearly so that
  their mean and covariance equal the photo's (the Image Analogies colour transform, with
  symmetric matrix square roots).
Arrays are (H, W, 3) floats in [0, 1]; numpy only.
"""

import numpy as np

MODES = ("none", "luminance", "histogram")
_RGB_TO_YIQ = np.array([[0.299, 0.587, 0.114],
                        [0.595716, -0.274453, -0.321263],
                        [0.211456, -0.522591, 0.311135]], dtype=np.float64)
_YIQ_TO_RGB = np.linalg.inv(_RGB_TO_YIQ)


def rgb_to_yiq(rgb: np.ndarray) -> np.ndarray:
    return (rgb.astype(np.float64) @ _RGB_TO_YIQ.T).astype(np.float32)


def yiq_to_rgb(yiq: np.ndarray) -> np.ndarray:
    return np.clip(yiq.astype(np.float64) @ _YIQ_TO_RGB.T, 0.0, 1.0).astype(np.float32)


def grey(rgb: np.ndarray) -> np.ndarray:
    """The luminance repeated over three channels (what VGG sees in luminance-only mode)."""
    luminance = rgb_to_yiq(rgb)[..., :1]
    return np.repeat(np.clip(luminance, 0.0, 1.0), 3, axis=-1)


def match_luminance(style: np.ndarray, content: np.ndarray) -> np.ndarray:
    """`style` as grey, its luminance shifted and scaled to the mean and spread of `content`'s."""
    s, c = rgb_to_yiq(style)[..., 0], rgb_to_yiq(content)[..., 0]
    matched = (s - s.mean()) * (c.std() / max(float(s.std()), 1e-6)) + c.mean()
    return np.repeat(np.clip(matched, 0.0, 1.0)[..., None], 3, axis=-1).astype(np.float32)


def with_content_chroma(result: np.ndarray, content: np.ndarray) -> np.ndarray:
    """The luminance of `result` with the chroma (I, Q) of `content` (same size)."""
    yiq = rgb_to_yiq(content)
    yiq[..., 0] = rgb_to_yiq(result)[..., 0]
    return yiq_to_rgb(yiq)


def _sqrt_psd(matrix: np.ndarray, inverse: bool = False) -> np.ndarray:
    values, vectors = np.linalg.eigh(matrix)
    values = np.maximum(values, 1e-8)
    power = -0.5 if inverse else 0.5
    return (vectors * values ** power) @ vectors.T


def match_histogram(style: np.ndarray, content: np.ndarray) -> np.ndarray:
    """`style` recoloured so that its pixels' mean and covariance are `content`'s."""
    s = style.reshape(-1, 3).astype(np.float64)
    c = content.reshape(-1, 3).astype(np.float64)
    mu_s, mu_c = s.mean(0), c.mean(0)
    eye = np.eye(3) * 1e-5
    transform = _sqrt_psd(np.cov(c.T) + eye) @ _sqrt_psd(np.cov(s.T) + eye, inverse=True)
    mapped = (s - mu_s) @ transform.T + mu_c
    return np.clip(mapped, 0.0, 1.0).reshape(style.shape).astype(np.float32)
