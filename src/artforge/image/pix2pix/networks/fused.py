"""An inference copy of a generator: batch norms folded into the convs before them, weights
and activations in channels_last memory format (oneDNN's fast layout on CPU) where that is
faster.

In eval mode a batch norm is a per-channel affine map y = a x + b, so conv-then-norm is one
conv with scaled weights and a shifted bias; this removes a pass over every feature map.
Instance norm depends on each image's statistics and stays as it is.
"""

import copy

import torch
from torch import nn

_CONVS = (nn.Conv2d, nn.ConvTranspose2d)


def _fold(conv: nn.Conv2d | nn.ConvTranspose2d, norm: nn.BatchNorm2d) -> None:
    scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
    shift = norm.bias - norm.running_mean * scale
    # Conv2d weights are (out, in, kh, kw); ConvTranspose2d's are (in, out, kh, kw).
    shape = (-1, 1, 1, 1) if isinstance(conv, nn.Conv2d) else (1, -1, 1, 1)
    conv.weight.data.mul_(scale.view(shape))
    bias = conv.bias.data if conv.bias is not None else torch.zeros_like(shift)
    conv.bias = nn.Parameter(bias * scale + shift)


def fold_batch_norms(module: nn.Module) -> nn.Module:
    """Fold every eval-mode BatchNorm2d that directly follows a conv in a Sequential, in place."""
    for child in module.modules():
        if not isinstance(child, nn.Sequential):
            continue
        for index in range(1, len(child)):
            before, layer = child[index - 1], child[index]
            if isinstance(before, _CONVS) and isinstance(layer, nn.BatchNorm2d) \
                    and layer.track_running_stats and layer.affine:
                _fold(before, layer)
                child[index] = nn.Identity()
    return module


def memory_format(generator: nn.Module) -> torch.memory_format:
    """channels_last, unless the network has instance norms, whose CPU kernels are slower on
    that layout (measured 0.87x against plain NCHW in benchmarks/pix2pix.py)."""
    if any(isinstance(m, nn.InstanceNorm2d) for m in generator.modules()):
        return torch.contiguous_format
    return torch.channels_last


def inference_copy(generator: nn.Module) -> nn.Module:
    """A frozen copy for translation: eval mode, batch norms folded, in `memory_format`."""
    fast = copy.deepcopy(generator).eval()
    with torch.no_grad():
        fold_batch_norms(fast)
    fast.requires_grad_(False)
    return fast.to(memory_format=memory_format(fast))
