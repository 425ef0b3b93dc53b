"""The folded nearest-upsampling convolution: its kernels sum the 3x3 taps that fall on each
small-map pixel, and both forms give F.interpolate (nearest) then F.conv2d."""

import pytest
import torch
import torch.nn.functional as F

from artforge.core.folded_upsampling import (
    phase_kernels,
    transposed_kernel,
    upsample_conv_phases,
    upsample_conv_transposed,
)

WEIGHT = torch.arange(9.0).reshape(1, 1, 3, 3)  # rows [0, 1, 2], [3, 4, 5], [6, 7, 8]


def test_the_transposed_kernel_sums_the_taps_that_reach_each_source_pixel():
    # Along each axis, taps 0-3 of the 4x4 kernel take the 3x3 taps (2), (1, 2), (0, 1), (0).
    assert transposed_kernel(WEIGHT)[0, 0].tolist() == [
        [8, 7 + 8, 6 + 7, 6],
        [5 + 8, 4 + 5 + 7 + 8, 3 + 4 + 6 + 7, 3 + 6],
        [2 + 5, 1 + 2 + 4 + 5, 0 + 1 + 3 + 4, 0 + 3],
        [2, 1 + 2, 0 + 1, 0]]


def test_the_phase_kernels_sum_the_taps_that_reach_each_source_pixel():
    # Along each axis, an even phase takes the 3x3 taps (0) | (1, 2), an odd one (0, 1) | (2).
    assert phase_kernels(WEIGHT).tolist() == [
        [[[0, 1 + 2], [3 + 6, 4 + 5 + 7 + 8]]],
        [[[0 + 1, 2], [3 + 4 + 6 + 7, 5 + 8]]],
        [[[0 + 3, 1 + 2 + 4 + 5], [6, 7 + 8]]],
        [[[0 + 1 + 3 + 4, 2 + 5], [6 + 7, 8]]]]


@pytest.mark.parametrize("padding, form", [("zeros", "transposed"), ("zeros", "phases"),
                                           ("reflect", "phases")])
def test_each_form_is_nearest_upsampling_then_the_convolution(padding, form):
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(2, 5, 3, 4, generator=generator, dtype=torch.float64)
    weight = torch.randn(7, 5, 3, 3, generator=generator, dtype=torch.float64)
    bias = torch.randn(7, generator=generator, dtype=torch.float64)
    upsampled = F.interpolate(x, scale_factor=2, mode="nearest")
    expected = F.conv2d(F.pad(upsampled, (1, 1, 1, 1), mode="constant" if padding == "zeros"
                              else padding), weight, bias)
    if form == "transposed":
        folded = upsample_conv_transposed(x, weight) + bias.view(-1, 1, 1)
    else:
        folded = upsample_conv_phases(x, weight, bias, padding)
    assert folded.shape == (2, 7, 6, 8)
    assert torch.allclose(folded, expected, atol=1e-12, rtol=1e-12)
