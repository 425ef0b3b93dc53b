import pytest
import torch
from torch import nn

from artforge.encoders.inception import (
    WEIGHTS_FILE,
    FIDInceptionV3,
    inception_features,
    load_fid_inception,
)
from artforge.errors import UserError

# The published layout of pytorch-fid's pt_inception-2015-12-05 state dict (torchvision's
# Inception3 names, no AuxLogits, a 1008-way fc): a few blocks, written out by hand.
CONV_SHAPES = {
    "Conv2d_1a_3x3": (32, 3, 3, 3),
    "Conv2d_2a_3x3": (32, 32, 3, 3),
    "Conv2d_2b_3x3": (64, 32, 3, 3),
    "Conv2d_3b_1x1": (80, 64, 1, 1),
    "Conv2d_4a_3x3": (192, 80, 3, 3),
    "Mixed_5b.branch1x1": (64, 192, 1, 1),
    "Mixed_5b.branch5x5_1": (48, 192, 1, 1),
    "Mixed_5b.branch5x5_2": (64, 48, 5, 5),
    "Mixed_5b.branch3x3dbl_1": (64, 192, 1, 1),
    "Mixed_5b.branch3x3dbl_2": (96, 64, 3, 3),
    "Mixed_5b.branch3x3dbl_3": (96, 96, 3, 3),
    "Mixed_5b.branch_pool": (32, 192, 1, 1),
    "Mixed_5d.branch_pool": (64, 288, 1, 1),
    "Mixed_6a.branch3x3": (384, 288, 3, 3),
    "Mixed_6a.branch3x3dbl_3": (96, 96, 3, 3),
    "Mixed_6b.branch7x7_2": (128, 128, 1, 7),
    "Mixed_6b.branch7x7_3": (192, 128, 7, 1),
    "Mixed_6e.branch7x7dbl_1": (192, 768, 1, 1),
    "Mixed_6e.branch7x7dbl_2": (192, 192, 7, 1),
    "Mixed_6e.branch7x7dbl_5": (192, 192, 1, 7),
    "Mixed_7a.branch3x3_2": (320, 192, 3, 3),
    "Mixed_7a.branch7x7x3_4": (192, 192, 3, 3),
    "Mixed_7b.branch1x1": (320, 1280, 1, 1),
    "Mixed_7b.branch3x3dbl_1": (448, 1280, 1, 1),
    "Mixed_7c.branch3x3_2a": (384, 384, 1, 3),
    "Mixed_7c.branch3x3_2b": (384, 384, 3, 1),
    "Mixed_7c.branch3x3dbl_2": (384, 448, 3, 3),
    "Mixed_7c.branch_pool": (192, 2048, 1, 1),
}
TOP_LEVEL = ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "Conv2d_3b_1x1",
             "Conv2d_4a_3x3", "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b",
             "Mixed_6c", "Mixed_6d", "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c", "fc"]


def published_keys(state: dict) -> dict:
    """The file's keys: ours without the batch-norm step counters the 2019 file lacks."""
    return {k: v for k, v in state.items() if not k.endswith("num_batches_tracked")}


def test_state_dict_has_the_published_names_and_shapes():
    with torch.device("meta"):
        state = FIDInceptionV3().state_dict()
    for conv, shape in CONV_SHAPES.items():
        assert tuple(state[f"{conv}.conv.weight"].shape) == shape, conv
        assert f"{conv}.conv.bias" not in state
        for part in ("weight", "bias", "running_mean", "running_var"):
            assert tuple(state[f"{conv}.bn.{part}"].shape) == (shape[0],), (conv, part)
    assert tuple(state["fc.weight"].shape) == (1008, 2048)
    assert tuple(state["fc.bias"].shape) == (1008,)
    assert list(dict.fromkeys(k.split(".")[0] for k in state)) == TOP_LEVEL
    block = sorted({k.split(".")[1] for k in state if k.startswith("Mixed_7c.")})
    assert block == ["branch1x1", "branch3x3_1", "branch3x3_2a", "branch3x3_2b",
                     "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3a", "branch3x3dbl_3b",
                     "branch_pool"]
    # Inception v3 without its auxiliary head: 94 conv + batch-norm pairs and the classifier.
    assert len(published_keys(state)) == 94 * 5 + 2


def scaled_random_inception() -> FIDInceptionV3:
    """A seeded network whose activations keep their scale through all 94 layers (He init,
    random batch-norm statistics), so its features are far from zero."""
    torch.manual_seed(0)
    with torch.device("meta"):
        net = FIDInceptionV3()
    net.to_empty(device="cpu")
    for module in net.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
        elif isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.uniform_(0.8, 1.2)
            module.bias.data.uniform_(-0.1, 0.1)
        elif isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, std=0.01)
            nn.init.zeros_(module.bias)
    return net.requires_grad_(False).eval()


@pytest.fixture(scope="module")
def saved_weights(tmp_path_factory):
    net = scaled_random_inception()
    path = tmp_path_factory.mktemp("inception") / WEIGHTS_FILE
    torch.save(published_keys(net.state_dict()), path)
    return net, path


def test_a_user_weights_file_loads_and_gives_2048_pool3_features(saved_weights):
    original, path = saved_weights
    loaded = load_fid_inception(path)
    assert not loaded.training and not any(p.requires_grad for p in loaded.parameters())
    images = (torch.rand(2, 3, 32, 32, generator=torch.Generator().manual_seed(1)) * 255).byte()
    features = inception_features(images, loaded, batch=1)
    assert features.shape == (2, 2048) and features.dtype == torch.float32
    with torch.no_grad():
        assert torch.equal(features, original(images.float() / 255))
    assert (features >= 0).all() and float(features.mean()) > 0.05


def test_inputs_are_resized_to_299_and_scaled_to_minus_one_one(saved_weights):
    net = saved_weights[0]
    seen = []
    hook = net.Conv2d_1a_3x3.register_forward_hook(lambda m, args, out: seen.append(args[0]))
    images = torch.zeros(1, 3, 20, 20)
    images[..., 10:, :] = 1.0
    with torch.no_grad():
        pooled = net(images)
    hook.remove()
    (x,) = seen
    assert x.shape == (1, 3, 299, 299)
    # Bilinear resizing may overshoot by a rounding error, with some thread counts.
    assert float(x.min()) == pytest.approx(-1.0, abs=1e-6)
    assert float(x.max()) == pytest.approx(1.0, abs=1e-6)
    with torch.no_grad():
        assert torch.allclose(net(torch.nn.functional.interpolate(
            images, size=299, mode="bilinear", align_corners=False)), pooled, atol=1e-6)


def test_a_missing_or_wrong_file_names_the_file_it_needs(tmp_path, saved_weights):
    with pytest.raises(UserError, match=f"needs pytorch-fid's weights file {WEIGHTS_FILE}; "
                                        ".*does not exist"):
        load_fid_inception(tmp_path / "nowhere.pth")
    text = tmp_path / "notes.pth"
    text.write_text("not weights")
    with pytest.raises(UserError, match=f"not the FID Inception weights file {WEIGHTS_FILE}"):
        load_fid_inception(text)
    other = tmp_path / "other.pth"
    torch.save({"features.0.weight": torch.zeros(64, 3, 3, 3)}, other)
    with pytest.raises(UserError, match="tensors missing"):
        load_fid_inception(other)
    state = published_keys(saved_weights[0].state_dict())
    state["fc.weight"] = torch.zeros(1000, 2048)
    torch.save(state, other)
    with pytest.raises(UserError, match=r"fc.weight has shape \(1000, 2048\)"):
        load_fid_inception(other)
