"""Optical flow between video frames (OpenCV DIS or Farneback), warping, and flicker.

Frames are (H, W, 3) float32 arrays in [0, 1]. `Motion.between(previous, current)` finds,
for each pixel of the current frame, where it was in the previous one, and how far that can
be trusted: pixels whose forward and backward flows disagree (occlusions, motion
boundaries) are unreliable (Sundaram et al. 2010, as used by Ruder et al. 2016).
"""

import dataclasses

import cv2
import numpy as np

FLOW_METHODS = ("dis", "farneback")


def _grey(frame: np.ndarray) -> np.ndarray:
    return cv2.cvtColor((np.clip(frame, 0, 1) * 255 + 0.5).astype(np.uint8), cv2.COLOR_RGB2GRAY)


@dataclasses.dataclass
class Motion:
    backward: np.ndarray
    """(H, W, 2): current pixel (x, y) was at (x, y) + backward[y, x] in the previous frame."""
    reliable: np.ndarray
    """(H, W) float32: 1 where the flow is consistent both ways, else 0."""

    @classmethod
    def between(cls, previous: np.ndarray, current: np.ndarray, method: str = "dis"
                ) -> "Motion":
        a, b = _grey(previous), _grey(current)
        backward = optical_flow(b, a, method)
        forward = optical_flow(a, b, method)
        return cls(backward, consistency(backward, forward))

    def warp(self, previous: np.ndarray) -> np.ndarray:
        """`previous` (anything aligned with the previous frame) moved onto the current one."""
        return warp(previous, self.backward)


def optical_flow(source: np.ndarray, target: np.ndarray, method: str = "dis") -> np.ndarray:
    """(H, W, 2) float32 flow from grey uint8 `source` to `target`: source(p) ~ target(p + f)."""
    if method == "dis":
        engine = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
        return engine.calc(source, target, None)
    if method == "farneback":
        return cv2.calcOpticalFlowFarneback(source, target, None, pyr_scale=0.5, levels=4,
                                            winsize=15, iterations=3, poly_n=5,
                                            poly_sigma=1.2, flags=0)
    raise ValueError(f"unknown flow method {method!r}; known: {', '.join(FLOW_METHODS)}")


def _grid(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    return xs, ys


def warp(image: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """image sampled at p + flow(p) (bilinear; edges replicated)."""
    xs, ys = _grid(*flow.shape[:2])
    return cv2.remap(image.astype(np.float32), xs + flow[..., 0], ys + flow[..., 1],
                     interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def consistency(backward: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """1 where following `backward` and then `forward` comes back to the start (within
    0.01 of the squared flow lengths plus half a pixel squared), else 0."""
    forward_there = warp(forward, backward)
    loop = backward + forward_there
    bound = 0.01 * ((backward ** 2).sum(-1) + (forward_there ** 2).sum(-1)) + 0.5
    return ((loop ** 2).sum(-1) <= bound).astype(np.float32)


def flicker(outputs: list[np.ndarray], inputs: list[np.ndarray], method: str = "dis") -> float:
    """Mean warped-frame difference: for each pair of consecutive output frames, the mean
    absolute difference (0-255 levels) between the frame and the previous one moved along
    the *input* video's motion, over reliable pixels; averaged over the pairs."""
    if len(outputs) != len(inputs):
        raise ValueError("give as many input frames as output frames")
    if len(outputs) < 2:
        return 0.0
    scores = []
    for t in range(1, len(outputs)):
        motion = Motion.between(inputs[t - 1], inputs[t], method)
        error = np.abs(outputs[t] - motion.warp(outputs[t - 1])).mean(-1) * 255.0
        weight = motion.reliable
        scores.append(float((error * weight).sum() / max(float(weight.sum()), 1.0)))
    return float(np.mean(scores))
