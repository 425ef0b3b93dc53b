"""Robust instance norms (networks.robust_statistics), the Johnson networks' answer to round
blots: a spike of a few pixels barely moves a channel's statistics where it moves a plain
instance norm's a lot; the layers keep nn.InstanceNorm2d's weights, so an instance-norm
network's weights load into a robust one; a robust johnson model paints alike through its
joint network, its exported folder and ONNX."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from artforge.core import checkpoint
from artforge.core.seeding import seeded
from artforge.errors import UserError
from artforge.style import onnx_run
from artforge.style.fast_model import FastStyleConfig
from artforge.style.multi_style import MultiStyleConfig, MultiStyleModel, StyleNorm
from artforge.style.networks import (
    RobustInstanceNorm2d,
    TransformerNet,
    robust_instance_norm,
    robust_statistics,
)
from artforge.style.onnx_export import export_onnx
from artforge.style.works import to_numpy


def _noise(*shape: int, seed: int = 0) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_a_spike_moves_plain_statistics_but_hardly_robust_ones():
    x = _noise(1, 2, 64, 64)
    spiked = x.clone()
    spiked[0, 0, 10:14, 20:24] += 22.0  # 16 pixels 22 deviations high, in channel 0 only
    away = torch.ones(64, 64, dtype=torch.bool)
    away[10:14, 20:24] = False
    plain = (F.instance_norm(spiked) - F.instance_norm(x))[0, :, away].abs().mean(1)
    ones, zeros = torch.ones(2), torch.zeros(2)
    robust = (robust_instance_norm(spiked, ones, zeros)
              - robust_instance_norm(x, ones, zeros))[0, :, away].abs().mean(1)
    assert float(plain[0]) > 0.3 and float(plain[1]) == 0.0
    assert float(robust[0]) < 0.05 and float(robust[1]) == 0.0
    # Without outliers the statistics are nearly the plain ones (normal values: the clip at
    # about 3.2 deviations takes off a little of the spread).
    mean, inverse = robust_statistics(x)
    assert torch.allclose(mean.flatten(), x.mean((2, 3)).flatten(), atol=0.05)
    assert torch.allclose(1 / inverse.flatten(), x.std((2, 3)).flatten(), rtol=0.05)


def test_scale_and_shift_per_channel_or_per_example_agree():
    x = _noise(3, 4, 10, 12)
    weight, bias = _noise(3, 4, seed=1), _noise(3, 4, seed=2)
    rows = robust_instance_norm(x, weight, bias)
    for i in range(3):
        alone = robust_instance_norm(x[i:i + 1], weight[i], bias[i])
        assert torch.allclose(rows[i:i + 1], alone, atol=1e-6)
    mean, inverse = robust_statistics(x)
    expected = (x - mean) * inverse * weight[..., None, None] + bias[..., None, None]
    assert torch.allclose(rows, expected, atol=1e-5)


def test_a_plain_networks_weights_load_into_a_robust_one():
    with seeded(0):
        plain = TransformerNet((4, 8, 8), res_blocks=1)
    robust = TransformerNet((4, 8, 8), res_blocks=1, norm="robust")
    robust.load_state_dict(plain.state_dict(), strict=True)
    norms = [m for m in robust.modules() if isinstance(m, torch.nn.InstanceNorm2d)]
    assert len(norms) == 3 + 2 + 2 and all(isinstance(m, RobustInstanceNorm2d) for m in norms)
    photo = torch.rand(1, 3, 16, 20, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        made, plain_made = robust(photo), plain(photo)
    assert made.shape == (1, 3, 16, 20) and not torch.equal(made, plain_made)
    with pytest.raises(ValueError, match="norm must be one of"):
        TransformerNet((4, 8, 8), res_blocks=1, norm="batch")


def test_a_config_refuses_an_unknown_norm():
    with pytest.raises(UserError, match="norm must be one of instance, robust"):
        FastStyleConfig(norm="batch").validate()


def test_a_robust_style_exports_and_paints_alike_in_torch_and_onnx(tmp_path):
    config = MultiStyleConfig(styles=("a.png", "b.png"), names=("a", "b"), channels=(4, 8, 8),
                              res_blocks=1, style_size=32, norm="robust")
    with seeded(0):
        model = MultiStyleModel(config)
    model.set_styles([Image.new("RGB", (32, 32), (200, 30, 20)),
                      Image.new("RGB", (32, 32), (20, 40, 210))])
    norms = [m for m in model.net.modules() if isinstance(m, StyleNorm)]
    assert norms and all(norm.robust for norm in norms)
    with torch.no_grad():
        for norm in norms:
            norm.weight.copy_(torch.rand(norm.weight.shape, generator=torch.Generator()
                                         .manual_seed(1)) + 0.5)
    photo = torch.rand(1, 3, 24, 28, generator=torch.Generator().manual_seed(2))
    folder = model.export(1).save(tmp_path / "b")
    single = checkpoint.load(folder)
    assert single.config.norm == "robust"
    with torch.no_grad():
        joint = model.net(photo, torch.ones(1, dtype=torch.long))
    made = single.stylize(photo)
    assert torch.allclose(made, joint, atol=1e-6)
    exported = export_onnx(folder, tmp_path / "b.onnx")
    session, meta = onnx_run.load_session(exported.path)
    by_onnx = onnx_run.stylize_array(session, meta, to_numpy(photo))
    assert np.abs(by_onnx - to_numpy(made)).max() < 1e-3
