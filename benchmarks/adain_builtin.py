"""The shipped arbitrary-style decoder (builtin:adain): seconds per picture at 256 and 512 px,
PyTorch against its ONNX export under onnxruntime, side by side in one process.

Each arm stylises the same photo with the same style picture (encoded once, as `stylize`
does); timings alternate between the arms and report medians of --repeats runs after one
warm-up. The ratio is ONNX time / PyTorch time.

Run: .venv/bin/python benchmarks/adain_builtin.py [--repeats 5] [--threads 2]
"""

import argparse
import platform
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from _style_bench import interleaved

from artforge.core.device import set_threads
from artforge.data.pictures import open_picture
from artforge.style.onnx_export import export_onnx
from artforge.style.stylize import load_style_model, make_stylizer
from artforge.style.works import to_tensor

PHOTO = "builtin:astronaut"
STYLE = "builtin:hokusai-great-wave"


def onnx_stylizer(path: Path, model, style: torch.Tensor):
    """The exported graph's call, fed as onnx_run feeds it."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    styles = model.square_styles([style]).numpy()
    names = [i.name for i in session.get_inputs()]

    def run(photo: torch.Tensor) -> np.ndarray:
        feed = dict(zip(names, [photo.numpy(), styles, np.ones(1, np.float32),
                                np.ones(1, np.float32)], strict=True))
        return session.run(None, feed)[0]

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    set_threads(args.threads)
    model, _ = load_style_model("builtin:adain")
    style = to_tensor(open_picture(STYLE))
    with tempfile.TemporaryDirectory() as folder:
        exported = export_onnx("builtin:adain", Path(folder) / "adain.onnx")
        arms = {"torch": make_stylizer(model, [STYLE]),
                "onnx": onnx_stylizer(exported.path, model, style)}
        print(f"builtin:adain — {platform.machine()}, torch {torch.__version__}, "
              f"{args.threads} threads, {args.repeats} repeats (median), {PHOTO} in {STYLE}")
        print(f"{'side':>5} {'torch s':>8} {'onnx s':>8} {'onnx/torch':>10}")
        for side in (256, 512):
            photo = F.interpolate(to_tensor(open_picture(PHOTO)), size=(side, side),
                                  mode="area")
            with torch.no_grad():
                median = interleaved({name: lambda arm=arm, photo=photo: arm(photo)
                                      for name, arm in arms.items()}, args.repeats)
            print(f"{side:>5} {median['torch']:>8.2f} {median['onnx']:>8.2f} "
                  f"{median['onnx'] / median['torch']:>10.2f}")


if __name__ == "__main__":
    main()
