"""Translation at any size: pad to the network's multiple with white paper, and cut large
sketches into overlapping tiles whose results are blended with linear ramps (no seams where
two tiles' instance-norm statistics differ a little)."""

from collections.abc import Callable

import torch
import torch.nn.functional as F

PAPER = 1.0
"""White, in the [-1, 1] range of the line art."""


def _starts(length: int, tile: int, overlap: int) -> list[int]:
    """Tile origins along one side: every tile - overlap pixels, the last flush with the end."""
    if length <= tile:
        return [0]
    starts = list(range(0, length - tile, tile - overlap))
    return starts + [length - tile]


def _ramp(length: int, overlap: int) -> torch.Tensor:
    """Weights along one side of a tile: rising over the overlap at both ends."""
    weights = torch.ones(length)
    if overlap > 0:
        rise = torch.linspace(1.0 / (overlap + 1), 1.0, overlap + 1)[:-1]
        weights[:overlap] = rise
        weights[length - overlap:] = rise.flip(0)
    return weights


def translate_tensor(run: Callable[[torch.Tensor], torch.Tensor], sketch: torch.Tensor,
                     multiple: int, tile: int, overlap: int, paper_channels: int | None = None
                     ) -> torch.Tensor:
    """`run` (a generator) over `sketch` (1, C, H, W) in [-1, 1] of any size; returns
    (1, 3, H, W). `tile` and `overlap` are rounded to what the network can take. The first
    `paper_channels` (default: all) are line art, padded with white paper; the rest (colour
    hints) are padded with zeros, "no hint"."""
    _, _, height, width = sketch.shape
    tile = max(multiple, tile // multiple * multiple)
    overlap = min(overlap, tile // 4)
    padded_h, padded_w = (-(-side // multiple) * multiple for side in (height, width))
    pad = (0, padded_w - width, 0, padded_h - height)
    lines = sketch.shape[1] if paper_channels is None else paper_channels
    paper = torch.cat([F.pad(sketch[:, :lines], pad, value=PAPER),
                       F.pad(sketch[:, lines:], pad, value=0.0)], dim=1)
    rows, cols = _starts(padded_h, tile, overlap), _starts(padded_w, tile, overlap)
    if len(rows) == 1 and len(cols) == 1:
        return run(paper)[..., :height, :width]
    size_h, size_w = min(tile, padded_h), min(tile, padded_w)
    weight = _ramp(size_h, overlap)[:, None] * _ramp(size_w, overlap)[None, :]
    total, weights = None, torch.zeros(padded_h, padded_w)
    for top in rows:
        for left in cols:
            part = run(paper[..., top:top + size_h, left:left + size_w])
            if total is None:
                total = torch.zeros(1, part.shape[1], padded_h, padded_w)
            total[..., top:top + size_h, left:left + size_w] += part * weight
            weights[top:top + size_h, left:left + size_w] += weight
    return (total / weights)[..., :height, :width]

