"""Nearest 2x upsampling then a 3x3 convolution, folded into one cheaper step with the same
result. Each output pixel reads only 2x2 pixels of the small map, so the 3x3 taps that fall
on the same small pixel can be summed first: 4/9 of the multiply-adds, and no upsampled map.
Two forms of the one fold:

- `upsample_conv_transposed`: one stride-2 4x4 transposed convolution; zero padding only.
- `upsample_conv_phases`: four 2x2 convolutions of the small map, one per output phase
  (even/odd row and column), as one convolution; zero or reflection padding.
"""

import torch
import torch.nn.functional as F

PHASE_TAPS = torch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]],
                           [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]])
"""[a, p]: which taps of the 3x3 kernel, along one axis, output row 2m + a takes from row
m - 1 + a + p of the small map. An even row sees upsampled rows 2m - 1, 2m, 2m + 1, that is
small rows m - 1, m, m (taps 0 | 1 + 2); an odd row sees m, m, m + 1 (taps 0 + 1 | 2)."""

_SMALL_MAP_PADDING = {"zeros": "constant", "reflect": "replicate"}
"""Padding of the upsampled map -> the same padding of the small one: reflecting the
upsampled map's first row gives its second, a copy of the small map's first row."""


def transposed_kernel(weight: torch.Tensor) -> torch.Tensor:
    """The stride-2, padding-1 transposed-convolution kernel (cin, cout, 4, 4) that gives the
    3x3 convolution `weight` (cout, cin, 3, 3), zero padding 1, of its input upsampled 2x.
    Its tap k carries row m - 1 + a + p of the input to output row 2m + a, so k = 3 - a - 2p."""
    taps = PHASE_TAPS.to(weight).transpose(0, 1).reshape(4, 3).flip(0)
    return torch.einsum("kp,lq,oipq->iokl", taps, taps, weight)


def phase_kernels(weight: torch.Tensor) -> torch.Tensor:
    """The 2x2 kernels (4 cout, cin, 2, 2) of the 3x3 convolution `weight` (cout, cin, 3, 3)
    for output phases (even, even), (even, odd), (odd, even), (odd, odd) of each channel."""
    cout, cin = weight.shape[:2]
    taps = PHASE_TAPS.to(weight)
    return (torch.einsum("apk,oikl,bql->oabipq", taps, weight, taps)
            .reshape(4 * cout, cin, 2, 2))


def upsample_conv_transposed(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """F.conv2d(F.interpolate(x, scale_factor=2, mode="nearest"), weight, padding=1)."""
    return F.conv_transpose2d(x, transposed_kernel(weight), stride=2, padding=1)


def upsample_conv_phases(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                         padding: str) -> torch.Tensor:
    """The 3x3 convolution `weight`, `bias`, padding 1 by `padding` ("zeros" or "reflect"),
    of `x` upsampled 2x (nearest)."""
    cout = weight.shape[0]
    padded = F.pad(x, (1, 1, 1, 1), mode=_SMALL_MAP_PADDING[padding])
    found = F.conv2d(padded, phase_kernels(weight),
                     bias.repeat_interleave(4))  # (B, 4 cout, h + 1, w + 1)
    batch, _, h, w = found.shape
    found = found.view(batch, cout, 2, 2, h, w)
    h, w = h - 1, w - 1  # phase (a, b) reads the windows from (a, b) on
    phases = torch.stack([found[:, :, a, b, a:a + h, b:b + w]
                          for a in (0, 1) for b in (0, 1)], dim=2)
    return (phases.view(batch, cout, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3)
            .reshape(batch, cout, 2 * h, 2 * w))
