"""`artforge style export-onnx`: a trained johnson, adain or instant model as one ONNX file.

The file says what it is in its metadata (kind, side multiple, style size), so the
torch-free runner (artforge.style.onnx_run) needs nothing else. Every export is checked:
onnxruntime and PyTorch run the same random inputs, at a size other than the one traced,
and must agree to within `TOLERANCE`, or nothing is written.
"""

import dataclasses
import io
import warnings
from pathlib import Path

import numpy as np
import torch

from artforge.errors import UserError

TOLERANCE = 1e-3
OPSET = 17


@dataclasses.dataclass
class ExportResult:
    path: Path
    kind: str
    max_difference: float
    """Largest absolute difference between onnxruntime's and PyTorch's outputs (0-1 scale)."""


def _johnson(model) -> tuple[torch.nn.Module, tuple, dict, list[str]]:
    example = (torch.rand(1, 3, 64, 64),)
    axes = {"image": {2: "height", 3: "width"}, "stylized": {2: "height", 3: "width"}}
    return model.net, example, axes, ["image"]


def _any_style(model) -> tuple[torch.nn.Module, tuple, dict, list[str]]:
    side = model.config.style_size
    example = (torch.rand(1, 3, 64, 64), torch.rand(2, 3, side, side),
               torch.tensor([0.5, 0.5]), torch.tensor([1.0]))
    axes = {"content": {2: "height", 3: "width"}, "styles": {0: "styles"},
            "weights": {0: "styles"}, "stylized": {2: "height", 3: "width"}}
    return model.transfer_module(), example, axes, ["content", "styles", "weights", "alpha"]


def _check_inputs(kind: str, side: int) -> tuple[torch.Tensor, ...]:
    """Inputs of another size than the traced ones (a dynamic-shape check)."""
    generator = torch.Generator().manual_seed(0)
    content = torch.rand(1, 3, 40, 72, generator=generator)
    if kind == "johnson":
        return (content,)
    return (content, torch.rand(3, 3, side, side, generator=generator),
            torch.tensor([0.2, 0.3, 0.5]), torch.tensor([0.7]))


def export_onnx(model_path: str | Path, out: str | Path) -> ExportResult:
    """Export the model folder `model_path` to `out` (.onnx), checked against PyTorch."""
    import onnx

    from artforge.core.atomic import write_bytes
    from artforge.core.checkpoint import folder_hash
    from artforge.style.stylize import load_style_model

    # 1. Check inputs and load the model on the CPU.
    out = Path(out)
    if out.suffix.lower() != ".onnx":
        raise UserError(f"--out must end in .onnx, not {out.name}.")
    model, folder = load_style_model(model_path, "cpu")
    module, example, axes, names = (_johnson if model.kind == "johnson" else _any_style)(model)
    module = module.eval()
    # 2. Trace to ONNX, in memory.
    buffer = io.BytesIO()
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the TorchScript exporter's notes on constant folding
        torch.onnx.export(module, example, buffer, dynamo=False, input_names=names,
                          output_names=["stylized"], dynamic_axes=axes, opset_version=OPSET)
    graph = onnx.load_from_string(buffer.getvalue())
    side = getattr(model.config, "style_size", 0)
    meta = {"artforge_kind": model.kind, "divisor": str(model.divisor),
            "style_size": str(side), "source_hash": folder_hash(folder)}
    for key, value in meta.items():
        graph.metadata_props.add(key=key, value=value)
    data = graph.SerializeToString()
    # 3. Check against PyTorch at a new size before writing anything.
    difference = _compare(module, data, names, _check_inputs(model.kind, side))
    if difference > TOLERANCE:
        raise UserError(f"the exported graph differs from PyTorch by {difference:.2g} (more "
                        f"than {TOLERANCE}); nothing was written.")
    write_bytes(out, data)
    return ExportResult(out, model.kind, difference)


def _compare(module: torch.nn.Module, data: bytes, names: list[str],
             inputs: tuple[torch.Tensor, ...]) -> float:
    import onnxruntime

    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    feed = {name: tensor.numpy() for name, tensor in zip(names, inputs, strict=True)}
    ours = session.run(None, feed)[0]
    with torch.no_grad():
        expected = module(*inputs)
    expected = expected if isinstance(expected, torch.Tensor) else expected[0]
    return float(np.abs(ours - expected.numpy()).max())
