"""Optical flow between video frames (OpenCV DIS or Farneback), warping, and flicker.

Frames are (H, W, 3) float32 arrays in [0, 1]. `Motion.between(previous, current)` finds,
for each pixel of the current frame, where it was in the previous one, and how far that can
be trusted: pixels whose forward and backward flows disagree (occlusions, motion
boundaries) are unreliable (Sundaram et al. 2010, as used by Ruder et al. 2016).

"dis" is DIS with OpenCV's medium preset on the frames; "dis-fast" its fast preset on frames
of half the size, the flow and its reliability enlarged after: at 512x288 a pair of frames
takes 3-6 ms instead of about 35, and blending builtin:adain's frames along it cut their
flicker 2.4x where "dis" cut it 2.7x (benchmarks/instant_style.py, part c; docs/style.md).
"""

import dataclasses
import functools
from collections.abc import Iterable, Iterator

import cv2
import numpy as np

DIS_PRESETS = {"dis-fast": cv2.DISOPTICAL_FLOW_PRESET_FAST,
               "dis": cv2.DISOPTICAL_FLOW_PRESET_MEDIUM}
FLOW_METHODS = (*DIS_PRESETS, "farneback")
HALF_SIZE = ("dis-fast",)
"""Methods that `Motion.between` runs on frames of half the size."""


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
        return cls.between_grey(_grey(previous), _grey(current), method)

    @classmethod
    def between_grey(cls, previous: np.ndarray, current: np.ndarray, method: str = "dis"
                     ) -> "Motion":
        """As `between`, from the frames already turned grey (uint8, as `optical_flow`)."""
        height, width = current.shape
        if method in HALF_SIZE:
            half = (max(1, width // 2), max(1, height // 2))
            previous, current = (cv2.resize(grey, half, interpolation=cv2.INTER_AREA)
                                 for grey in (previous, current))
        backward = optical_flow(current, previous, method)
        forward = optical_flow(previous, current, method)
        return cls(backward, consistency(backward, forward)).resized(width, height)

    def resized(self, width: int, height: int) -> "Motion":
        """The motion measured on frames of another size, at `width` x `height`."""
        now_height, now_width = self.reliable.shape
        if (now_width, now_height) == (width, height):
            return self
        backward = cv2.resize(self.backward, (width, height), interpolation=cv2.INTER_LINEAR)
        backward *= np.array([width / now_width, height / now_height], np.float32)
        return Motion(backward, cv2.resize(self.reliable, (width, height),
                                           interpolation=cv2.INTER_NEAREST))

    def warp(self, previous: np.ndarray) -> np.ndarray:
        """`previous` (anything aligned with the previous frame) moved onto the current one."""
        return warp(previous, self.backward)


def motions(frames: Iterable[np.ndarray], method: str = "dis") -> Iterator[Motion]:
    """The motion from each frame to the next (one fewer than the frames), each frame turned
    grey once."""
    previous = None
    for frame in frames:
        current = _grey(frame)
        if previous is not None:
            yield Motion.between_grey(previous, current, method)
        previous = current


def optical_flow(source: np.ndarray, target: np.ndarray, method: str = "dis") -> np.ndarray:
    """(H, W, 2) float32 flow from grey uint8 `source` to `target`: source(p) ~ target(p + f)."""
    if method in DIS_PRESETS:
        return cv2.DISOpticalFlow_create(DIS_PRESETS[method]).calc(source, target, None)
    if method == "farneback":
        return cv2.calcOpticalFlowFarneback(source, target, None, pyr_scale=0.5, levels=4,
                                            winsize=15, iterations=3, poly_n=5,
                                            poly_sigma=1.2, flags=0)
    raise ValueError(f"unknown flow method {method!r}; known: {', '.join(FLOW_METHODS)}")


@functools.lru_cache(maxsize=4)
def _grid(height: int, width: int) -> np.ndarray:
    """(H, W, 2) float32: each pixel's own (x, y); read-only, shared by every warp."""
    grid = np.empty((height, width, 2), np.float32)
    grid[..., 0] = np.arange(width, dtype=np.float32)
    grid[..., 1] = np.arange(height, dtype=np.float32)[:, None]
    grid.flags.writeable = False
    return grid


def warp(image: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """image sampled at p + flow(p) (bilinear; edges replicated)."""
    return cv2.remap(np.asarray(image, np.float32), _grid(*flow.shape[:2]) + flow, None,
                     interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _squared_length(vectors: np.ndarray) -> np.ndarray:
    return vectors[..., 0] * vectors[..., 0] + vectors[..., 1] * vectors[..., 1]


def consistency(backward: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """1 where following `backward` and then `forward` comes back to the start (within
    0.01 of the squared flow lengths plus half a pixel squared), else 0."""
    forward_there = warp(forward, backward)
    loop = backward + forward_there
    bound = 0.01 * (_squared_length(backward) + _squared_length(forward_there)) + 0.5
    return (_squared_length(loop) <= bound).astype(np.float32)


def warped_difference(output: np.ndarray, previous: np.ndarray, motion: Motion) -> float:
    """The mean absolute difference (0-255 levels) between `output` and the `previous`
    output moved along `motion`, over its reliable pixels."""
    error = np.abs(output - motion.warp(previous))
    weight = motion.reliable
    total = float(np.einsum("hwc,hw->", error, weight)) * 255.0 / error.shape[-1]
    return total / max(float(weight.sum()), 1.0)


def flicker(outputs: list[np.ndarray], inputs: list[np.ndarray], method: str = "dis") -> float:
    """Mean warped-frame difference: for each pair of consecutive output frames, the
    `warped_difference` along the *input* video's motion; averaged over the pairs."""
    if len(outputs) != len(inputs):
        raise ValueError("give as many input frames as output frames")
    if len(outputs) < 2:
        return 0.0
    return float(np.mean([warped_difference(outputs[t], outputs[t - 1], motion)
                          for t, motion in enumerate(motions(inputs, method), 1)]))
