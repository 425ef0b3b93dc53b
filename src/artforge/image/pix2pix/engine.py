"""What runs a trained generator at translation time.

"torch": a frozen copy with batch norms folded into the convs, channels_last where that is
faster, under inference_mode (any device). "onnx": the same folded generator exported once
to ONNX (cached in the user cache by the model folder's hash) and run by ONNX Runtime,
whose CPU kernels fuse each conv with its activation and run instance norm without
PyTorch's per-op overhead: measured 1.7x faster than the brief's generator run plainly in
PyTorch (benchmarks/pix2pix.py). "auto" picks onnx on CPU when onnxruntime is installed,
else torch. Outputs agree to ~1e-5.
"""

import io
import warnings
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from artforge.errors import UserError
from artforge.image.pix2pix.networks.fused import inference_copy, memory_format

ENGINES = ("auto", "torch", "onnx")
Engine = Callable[[torch.Tensor], torch.Tensor]


def torch_engine(generator: nn.Module, device: torch.device) -> Engine:
    fast = inference_copy(generator).to(device)

    layout = memory_format(fast)

    def run(sketch: torch.Tensor) -> torch.Tensor:
        with torch.inference_mode():
            return fast(sketch.to(device).contiguous(memory_format=layout)).float().cpu()

    return run


def export_onnx(generator: nn.Module, channels: int) -> bytes:
    """The folded generator as ONNX with free batch, height and width."""
    fast = inference_copy(generator).to(memory_format=torch.contiguous_format).cpu()
    # Traced at twice the network's multiple: smaller, a normed layer deep in a U-Net for
    # 128 px crops sees a 1x1 map, which instance norm refuses.
    side = 2 * getattr(generator, "multiple", 32)
    example = torch.zeros(1, channels, side, side)
    axes = {0: "batch", 2: "height", 3: "width"}
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # the TorchScript exporter warns that it is the old one
        warnings.simplefilter("ignore")
        torch.onnx.export(fast, (example,), buffer, input_names=["sketch"],
                          output_names=["picture"], dynamic_axes={"sketch": axes, "picture": axes},
                          opset_version=17, dynamo=False)
    return buffer.getvalue()


def onnx_engine(generator: nn.Module, channels: int, cache: Path) -> Engine:
    import onnxruntime

    from artforge.core.atomic import write_bytes
    from artforge.core.device import set_threads

    if not cache.is_file():
        write_bytes(cache, export_onnx(generator, channels))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = set_threads()
    session = onnxruntime.InferenceSession(str(cache), options,
                                           providers=["CPUExecutionProvider"])

    def run(sketch: torch.Tensor) -> torch.Tensor:
        picture = session.run(None, {"sketch": sketch.float().contiguous().numpy()})[0]
        return torch.from_numpy(picture)

    return run


def resolve_engine(name: str, device: torch.device) -> str:
    if name not in ENGINES:
        raise UserError(f"--engine must be one of {', '.join(ENGINES)}, not {name!r}.")
    if name == "onnx" and device.type != "cpu":
        raise UserError("--engine onnx runs on the CPU; use --engine torch with a GPU.")
    if name != "auto":
        return name
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return "torch"
    return "onnx" if device.type == "cpu" else "torch"


def make_engine(generator: nn.Module, channels: int, name: str, device: torch.device,
                model_hash: str) -> Engine:
    """The engine `name` ("torch" or "onnx", already resolved) for this generator."""
    if name == "onnx":
        from artforge.data.cache import cache_dir

        return onnx_engine(generator, channels, cache_dir("onnx") / f"{model_hash[:24]}.onnx")
    return torch_engine(generator, device)
