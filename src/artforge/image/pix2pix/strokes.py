"""Canvas-stroke augmentation: line art made to look like what an artist draws by hand.

Line art drawn by HED or XDoG is thin, unbroken and complete: every edge of the painting is
there. A sketch drawn on the studio's canvas is not: its strokes are wider or fainter, have
gaps, and it draws only some of the contours. A model trained only on the machine's line art
paints such a sketch as if the missing contours meant flat, empty areas. So each training
crop's line art is varied, the painting it must produce staying the same (the model learns
to complete what the artist left out):

- width: kept, or thickened by 3x3 or 5x5 dilation of the ink;
- pressure: the ink scaled to 55-100 % (pencil grey instead of pen black);
- breaks: a third of the crops lose line pixels in short gaps (a smooth random field,
  thresholded);
- sparseness: a third of the crops lose every line in large random regions (what is left
  reads as a few main strokes).

Everything is drawn from torch's RNG, so a seeded run resumes identically.
"""

import torch
import torch.nn.functional as F

BREAK_SHARE = 1 / 3
SPARSE_SHARE = 1 / 3
GAP_CELL = 6
"""Pixels per cell of the random field that cuts gaps into lines."""
REGION_CELLS = 4
"""Cells across the crop of the random field that erases whole regions."""


def _field(batch: int, height: int, width: int, cells: tuple[int, int],
           generator: torch.Generator | None) -> torch.Tensor:
    """A smooth random field (B, 1, H, W) in [0, 1): uniform noise on a coarse grid,
    upsampled bilinearly."""
    coarse = torch.rand(batch, 1, *cells, generator=generator)
    return F.interpolate(coarse, size=(height, width), mode="bilinear", align_corners=False)


def _chosen(batch: int, share: float, generator: torch.Generator | None) -> torch.Tensor:
    return (torch.rand(batch, 1, 1, 1, generator=generator) < share).float()


def vary_strokes(sketch: torch.Tensor, generator: torch.Generator | None = None
                 ) -> torch.Tensor:
    """Line art (B, 1, H, W) in [-1, 1] (black lines on white), each crop varied as a hand
    would draw it (module docstring); same shape and range."""
    batch, _, height, width = sketch.shape
    ink = (1 - sketch) / 2
    # 1. Width: none, 3x3 or 5x5 dilation, one choice per crop.
    widths = torch.randint(0, 3, (batch,), generator=generator)
    wider = [ink, F.max_pool2d(ink, 3, 1, 1), F.max_pool2d(ink, 5, 1, 2)]
    ink = torch.stack([wider[int(w)][i] for i, w in enumerate(widths)])
    # 2. Pressure.
    ink = ink * (0.55 + 0.45 * torch.rand(batch, 1, 1, 1, generator=generator))
    # 3. Breaks: about a fifth of the line pixels, in short gaps.
    gaps = _field(batch, height, width, (max(1, height // GAP_CELL), max(1, width // GAP_CELL)),
                  generator) < 0.2
    ink = ink * (1 - _chosen(batch, BREAK_SHARE, generator) * gaps.float())
    # 4. Sparseness: whole regions without lines (about 40 % of the crop).
    regions = _field(batch, height, width, (REGION_CELLS, REGION_CELLS), generator) < 0.4
    ink = ink * (1 - _chosen(batch, SPARSE_SHARE, generator) * regions.float())
    return 1 - 2 * ink
