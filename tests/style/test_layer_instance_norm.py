"""Layer-instance norms (networks.layer_instance_norm), the Johnson networks' answer to round
blots: rho = 1 is the plain instance norm and rho = 0 the layer norm, exactly; a quiet channel
stays quiet only under the layer statistics; rho starts at 1 and learns; an instance-norm
network's weights load and paint the same pixels; a layer-instance johnson model paints alike
through its joint network, its exported folder and ONNX."""

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
from artforge.style.networks import LayerInstanceNorm2d, TransformerNet, layer_instance_norm
from artforge.style.onnx_export import export_onnx
from artforge.style.works import to_numpy


def _noise(*shape: int, seed: int = 0) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_rho_one_is_the_instance_norm_and_rho_zero_the_layer_norm():
    x = _noise(2, 3, 6, 5) * torch.tensor([1.0, 4.0, 0.5])[:, None, None] + 2.0
    weight, bias = _noise(3, seed=1), _noise(3, seed=2)
    ones, zeros = torch.ones(3), torch.zeros(3)
    instance = layer_instance_norm(x, ones, weight, bias)
    assert torch.allclose(instance, F.instance_norm(x, weight=weight, bias=bias), atol=1e-5)
    layer = layer_instance_norm(x, zeros, weight, bias)
    expected = (F.layer_norm(x, x.shape[1:], eps=1e-5) * weight[:, None, None]
                + bias[:, None, None])
    assert torch.allclose(layer, expected, atol=1e-5)
    half = layer_instance_norm(x, torch.full((3,), 0.5), weight, bias)
    assert torch.allclose(half, (instance + layer) / 2, atol=1e-5)
    # rho is clipped to [0, 1] going forward, but one past 1 still gets a gradient.
    past = torch.full((3,), 7.0, requires_grad=True)
    assert torch.equal(layer_instance_norm(x, past, weight, bias), instance)
    (layer_instance_norm(x, past, weight, bias) * x).sum().backward()
    assert float(past.grad.abs().min()) > 0


def test_a_quiet_channel_stays_quiet_only_with_layer_statistics():
    x = torch.cat([_noise(1, 1, 8, 8), 0.1 * _noise(1, 1, 8, 8, seed=1)], 1)
    ones, zeros = torch.ones(2), torch.zeros(2)
    instance = layer_instance_norm(x, ones, ones, zeros)
    layer = layer_instance_norm(x, zeros, ones, zeros)
    assert abs(float(instance[0, 1].std(unbiased=False)) - 1.0) < 1e-3
    assert float(layer[0, 1].std(unbiased=False)) < 0.2


def test_scale_and_shift_per_channel_or_per_example_agree():
    x = _noise(3, 4, 10, 12)
    rho, weight, bias = torch.rand(4), _noise(3, 4, seed=1), _noise(3, 4, seed=2)
    rows = layer_instance_norm(x, rho, weight, bias)
    for i in range(3):
        alone = layer_instance_norm(x[i:i + 1], rho, weight[i], bias[i])
        assert torch.allclose(rows[i:i + 1], alone, atol=1e-6)


def test_an_instance_networks_weights_load_and_paint_the_same_and_rho_learns():
    with seeded(0):
        plain = TransformerNet((4, 8, 8), res_blocks=1)
    mixed = TransformerNet((4, 8, 8), res_blocks=1, norm="layer-instance")
    missing, unexpected = mixed.load_state_dict(plain.state_dict(), strict=False)
    assert not unexpected and missing and all(key.endswith(".rho") for key in missing)
    norms = [m for m in mixed.modules() if isinstance(m, torch.nn.InstanceNorm2d)]
    assert len(norms) == 3 + 2 + 2 and all(isinstance(m, LayerInstanceNorm2d) for m in norms)
    photo = torch.rand(1, 3, 16, 20, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        assert torch.allclose(mixed(photo), plain(photo), atol=1e-5)
    mixed(photo).square().mean().backward()
    assert all(float(norm.rho.grad.abs().sum()) > 0 for norm in norms)
    with pytest.raises(ValueError, match="norm must be one of"):
        TransformerNet((4, 8, 8), res_blocks=1, norm="batch")


def test_a_config_refuses_an_unknown_norm():
    with pytest.raises(UserError, match="norm must be one of instance, layer-instance"):
        FastStyleConfig(norm="batch").validate()


def test_a_layer_instance_style_exports_and_paints_alike_in_torch_and_onnx(tmp_path):
    config = MultiStyleConfig(styles=("a.png", "b.png"), names=("a", "b"), channels=(4, 8, 8),
                              res_blocks=1, style_size=32, norm="layer-instance")
    with seeded(0):
        model = MultiStyleModel(config)
    model.set_styles([Image.new("RGB", (32, 32), (200, 30, 20)),
                      Image.new("RGB", (32, 32), (20, 40, 210))])
    norms = [m for m in model.net.modules() if isinstance(m, StyleNorm)]
    assert norms and all(norm.rho is not None for norm in norms)
    assert not any(key.endswith(".rho") for key in model.net.style_rows())  # shared
    with torch.no_grad():
        for index, norm in enumerate(norms):
            generator = torch.Generator().manual_seed(index)
            norm.weight.copy_(torch.rand(norm.weight.shape, generator=generator) + 0.5)
            norm.rho.copy_(torch.rand(norm.rho.shape, generator=generator))
    photo = torch.rand(1, 3, 24, 28, generator=torch.Generator().manual_seed(2))
    folder = model.export(1).save(tmp_path / "b")
    single = checkpoint.load(folder)
    assert single.config.norm == "layer-instance"
    with torch.no_grad():
        joint = model.net(photo, torch.ones(1, dtype=torch.long))
    made = single.stylize(photo)
    assert torch.allclose(made, joint, atol=1e-6)
    exported = export_onnx(folder, tmp_path / "b.onnx")
    session, meta = onnx_run.load_session(exported.path)
    by_onnx = onnx_run.stylize_array(session, meta, to_numpy(photo))
    assert np.abs(by_onnx - to_numpy(made)).max() < 1e-3
