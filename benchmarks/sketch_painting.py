"""Claim (issue 25, items 2 and 7): builtin:sketch-painting paints the line art of paintings
it never saw with an L1 at least 30 % lower than the docs' 30-CPU-minute model.

Held out: the tenth of builtin:art-library that the shipped model's config holds out (its
`holdout`, split by name: pix2pix.pairs.split_names, as scripts/split_library.py splits it).
Baseline: the documented command's recipe (`artforge image pix2pix train --data ... --minutes
30` with every other option at its default: 128 px crops, ngf 32, colour hints, L1 x 100,
lr 1e-3, batch 4) trained from seed 0 on the same library, so on the same training part, for
--baseline-steps steps (3,168: what the docs' half hour gave on this 2-core machine), by
steps rather than minutes so that load from other processes does not change it.
Scored per model with `image eval`'s evaluate_pix2pix on the same --n fixed held-out crops:
L1 and the VGG16 perceptual distance, bare and with EVAL_DABS seeded dabs of the real colours
per crop, FID-VGG16 and KID (bare); the ratio model/baseline of each.
Canvas: the demo's canvas sketch (pix2pix.demo.canvas_sketch: hills, a shore, a tree, a house,
the sun) drawn at 512 px, painted by the shipped model at 256 and 512 px on the studio's
engine; seconds per painting, median of 3 after a warm-up (reported, not a claim).
Studio (issue: "a stroke drawn on the canvas becomes a painting in under 3 seconds"): a studio
server process (uvicorn, its real workers) on a fresh home, so a fresh cache; once it answers,
the page's first requests (status, the sketch models), --draw-seconds of drawing, then a
256 px canvas sketch painted by the shipped model as the page does it (upload, paint request,
job events until the end, the painting fetched): the first painting and a second timed, from
the upload to the painting fetched. Baseline: the same with the studio's warm-up off
(StudioSettings.warm_up), alternating, --studio-rounds each.
Sheet (JPEG): centre squares of held-out pictures as rows of line art | baseline | shipped
(| each --model) | original, bare, then again with dabs of the original's colours on the line
art; then the canvas sketch and its paintings.

Run: .venv/bin/python benchmarks/sketch_painting.py [--shipped builtin:sketch-painting]
     [--model RUN ...] [--baseline-steps 3168] [--baseline-run RUN] [--n 64] [--sheet PATH]
     [--studio-only | --no-studio] [--studio-rounds 3] [--draw-seconds 0 5]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads yield on a busy CPU

import argparse  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from _sketch_studio import studio_section  # noqa: E402
from PIL import Image  # noqa: E402

from artforge.core import checkpoint  # noqa: E402
from artforge.core.device import set_threads  # noqa: E402
from artforge.image.gan.sampling import grid_image  # noqa: E402
from artforge.image.pix2pix.architectures import Pix2PixConfig  # noqa: E402
from artforge.image.pix2pix.crops import fixed_crops  # noqa: E402
from artforge.image.pix2pix.demo import canvas_sketch  # noqa: E402
from artforge.image.pix2pix.evaluate import EVAL_DABS, evaluate_pix2pix  # noqa: E402
from artforge.image.pix2pix.hints import (  # noqa: E402
    dabs_from_picture,
    sample_hints,
    spread_hints,
)
from artforge.image.pix2pix.losses import perceptual_distance  # noqa: E402
from artforge.image.pix2pix.pairs import load_pairs, shrink_line_art  # noqa: E402
from artforge.image.pix2pix.train import (  # noqa: E402
    held_out_pairs,
    pix2pix_train_config,
    train_pix2pix,
)
from artforge.image.pix2pix.translate import Translator, load_translator  # noqa: E402

DATA = "builtin:art-library"
TARGET = 0.70
"""The issue's target: the shipped model's held-out L1 at most 70 % of the baseline's."""
SQUARE_DABS = 4 * EVAL_DABS
"""Dabs on a sheet's 256 px square: the scores' density (EVAL_DABS per 128 px crop)."""
FIGURES = (("l1", "L1", 1), ("perceptual", "VGG", 1), ("l1_hinted", "L1 dabs", 1),
           ("perceptual_hinted", "VGG dabs", 1), ("fid_vgg16", "FID-VGG16", 1),
           ("kid", "KID x1000", 1000))


def baseline_run(run: Path, steps: int, device: str) -> str:
    """The docs' recipe trained `steps` steps into `run`, unless `run` holds one already."""
    if checkpoint.latest_checkpoint(run) is not None:
        return f"baseline: reused {checkpoint.resolve(run)}"
    train = pix2pix_train_config("pix2pix", steps=steps, seed=0, device=device)
    loaded = []  # when the pictures are read: the steps are timed from there
    result = train_pix2pix(DATA, run, train, "pix2pix", Pix2PixConfig(), catalog=False,
                           on_data=lambda pairs: loaded.append(time.perf_counter()))
    seconds = time.perf_counter() - loaded[0]
    return (f"baseline (the docs' recipe from seed 0): trained {result.step} steps into {run} "
            f"in {seconds:.0f} s after reading the pictures ({seconds / max(result.step, 1):.3f} "
            "s a step, saving included)")


def no_network(shipped: str, n: int) -> dict[str, dict]:
    """What L1 and VGG give with no network, on the same crops and dabs as evaluate_pix2pix:
    every pixel the training part's mean colour (bare), and the dabs' colours spread over the
    crop by push-pull (`spread_hints`, which hint models read as input)."""
    config = load_translator(shipped, "cpu", engine="torch").model.config
    train, held = held_out_pairs(load_pairs(DATA, config.size, config.sketch), config.holdout)
    _, real = fixed_crops(held, config.size, n)
    mean = torch.tensor(np.mean([p.reshape(-1, 3).mean(axis=0) for p in train.pictures],
                                axis=0), dtype=torch.float32) / 127.5 - 1
    flat = mean.view(1, 3, 1, 1).expand_as(real)
    dabs = sample_hints(real, torch.Generator().manual_seed(0), count=EVAL_DABS)
    spread = spread_hints(dabs).clamp(-1, 1)

    def scored(fake: torch.Tensor) -> tuple[float, float]:
        return (float((fake - real).abs().mean() / 2),
                float(perceptual_distance(fake, real).mean()))

    (l1, vgg), (l1_dabs, vgg_dabs) = scored(flat), scored(spread)
    return {"no network: one flat colour": {"l1": l1, "perceptual": vgg},
            "no network: dabs spread": {"l1_hinted": l1_dabs, "perceptual_hinted": vgg_dabs}}


def figure(result: dict, key: str) -> float:
    """A score, or nan where the model has none (the dab scores of a model without hints)."""
    return result.get(key, float("nan"))


def print_scores(scores: dict[str, dict], baseline: str, verdicts: bool = True) -> None:
    width = max(24, *(len(label) + 1 for label in scores))
    print(f"{'':{width}s}" + "".join(f"{title:>11s}" for _, title, _ in FIGURES))
    base = scores[baseline]
    for label, result in scores.items():
        print(f"{label:{width}s}" + "".join(f"{scale * figure(result, key):11.4f}"
                                            for key, _, scale in FIGURES))
        if label != baseline:
            print(f"{'  ratio to the baseline':{width}s}" + "".join(
                f"{figure(result, key) / figure(base, key):11.3f}" for key, _, _ in FIGURES))
    for label, result in scores.items() if verdicts else ():
        if label != baseline:
            ratios = {title: figure(result, key) / figure(base, key)
                      for key, title, _ in FIGURES[:3:2]}
            verdicts = [f"{title} {ratio:.3f}x ({'met' if ratio <= TARGET else 'not met'})"
                        for title, ratio in ratios.items()]
            print(f"target (L1 at most {TARGET:.0%} of the baseline's), {label}: "
                  + "; ".join(verdicts))


def as_tiles(arrays: list[np.ndarray]) -> torch.Tensor:
    """uint8 (H, W) or (H, W, 3) arrays of one size -> (N, 3, H, W) in [0, 1]."""
    rgb = [np.repeat(a[..., None], 3, axis=2) if a.ndim == 2 else a[..., :3] for a in arrays]
    return torch.from_numpy(np.stack(rgb)).permute(0, 3, 1, 2).float() / 255


def with_dabs(sketch: np.ndarray, dabs: np.ndarray) -> np.ndarray:
    """The line art (H, W) in RGB with the RGBA dabs painted over it."""
    rgb = np.repeat(sketch[..., None], 3, axis=2)
    return np.where(dabs[..., 3:] > 0, dabs[..., :3], rgb)


def held_out_rows(translators: dict[str, Translator], count: int) -> list[Image.Image]:
    """Grids of centre squares of `count` held-out pictures: line art, each model's painting,
    the original; bare, then with SQUARE_DABS dabs of the original's colours."""
    config = next(iter(translators.values())).model.config
    _, held = held_out_pairs(load_pairs(DATA, config.size, config.sketch), config.holdout)
    grids = []
    for dabbed in (False, True):
        tiles = []
        for index, (sketch, picture) in enumerate(zip(held.sketches[:count],
                                                      held.pictures[:count], strict=True)):
            height, width = sketch.shape
            side = min(height, width)
            box = (slice((height - side) // 2, (height + side) // 2),
                   slice((width - side) // 2, (width + side) // 2))
            sketch, picture = sketch[box], picture[box]
            dabs = dabs_from_picture(picture, SQUARE_DABS, index) if dabbed else None
            tiles.append(with_dabs(sketch, dabs) if dabbed else sketch)
            tiles += [t.translate(sketch, hints=dabs if t.model.config.hints else None)
                      for t in translators.values()]
            tiles.append(picture)
        grids.append(grid_image(as_tiles(tiles), columns=len(translators) + 2))
    return grids


def canvas_section(translator: Translator, work: Path) -> Image.Image:
    """Time the shipped model on the drawn sketch; a 2 x 2 grid of the sketch and paintings."""
    large = np.asarray(Image.open(canvas_sketch(work / "canvas-512.png", side=512)).convert("L"))
    small = np.asarray(shrink_line_art(Image.fromarray(large), (256, 256)))
    cases = {"256 px sketch": (small, 0),
             "512 px sketch at the training scale (the studio's default)": (large, None),
             "512 px sketch at its own size (--side 0)": (large, 0)}
    print(f"canvas: {translator.folder} on a drawn sketch, engine {translator.engine_name}, "
          "seconds a painting, median of 3 after a warm-up")
    paintings = []
    for label, (sketch, side) in cases.items():
        paintings.append(translator.translate(sketch, side=side))
        times = []
        for _ in range(3):
            start = time.perf_counter()
            translator.translate(sketch, side=side)
            times.append(time.perf_counter() - start)
        print(f"  {label:60s} {statistics.median(times):7.3f} s")
    enlarged = np.asarray(Image.fromarray(paintings[0]).resize((512, 512), Image.LANCZOS))
    return grid_image(as_tiles([large, enlarged, *paintings[1:]]), columns=2)


def stacked(parts: list[Image.Image], gap: int = 12) -> Image.Image:
    sheet = Image.new("RGB", (max(p.width for p in parts),
                              sum(p.height for p in parts) + gap * (len(parts) - 1)), "white")
    top = 0
    for part in parts:
        sheet.paste(part, (0, top))
        top += part.height + gap
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipped", default="builtin:sketch-painting")
    parser.add_argument("--model", action="append", default=[],
                        help="another model or run folder to score beside them")
    parser.add_argument("--baseline-steps", type=int, default=3168)
    parser.add_argument("--baseline-run", type=Path, default=None,
                        help="the baseline's run folder: reused when it holds a checkpoint")
    parser.add_argument("--work", type=Path, default=None,
                        help="where runs and eval outputs go (default: a new temp folder)")
    parser.add_argument("--n", type=int, default=64, help="held-out crops to score")
    parser.add_argument("--sheet", type=Path, default=Path("sketch-painting-sheet.jpg"))
    parser.add_argument("--sheet-pictures", type=int, default=5)
    parser.add_argument("--no-canvas", action="store_true")
    parser.add_argument("--device", default="cpu")
    studio = parser.add_mutually_exclusive_group()
    studio.add_argument("--studio-only", action="store_true",
                        help="only the studio's first paintings (no held-out scores)")
    studio.add_argument("--no-studio", action="store_true")
    parser.add_argument("--studio-rounds", type=int, default=3)
    parser.add_argument("--draw-seconds", type=float, nargs="+", default=[0.0, 5.0],
                        help="seconds between the page's first requests and the stroke")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sketch-painting-bench-"))
    if args.studio_only:
        studio_section(work, args.studio_rounds, args.draw_seconds)
        return
    run = args.baseline_run or work / "baseline"
    threads = set_threads()
    print(f"sketch_painting: {DATA}, {threads} thread(s), torch {torch.__version__}, "
          f"work folder {work}")
    print(baseline_run(run, args.baseline_steps, args.device))
    models = {"baseline": str(run), args.shipped: args.shipped,
              **{name: name for name in args.model}}
    scores = {label: evaluate_pix2pix(path, DATA, work / f"eval-{index}", n=args.n,
                                      device=args.device)
              for index, (label, path) in enumerate(models.items())}
    first = next(iter(scores.values()))
    print(f"{args.n} fixed 128 px crops of the {len(first['held_out_pictures'])} held-out "
          f"pictures ({', '.join(first['held_out_pictures'])}); dabs: {first['dabs']} a crop")
    print_scores(scores, next(iter(scores)))
    print("for scale, the same crops and dabs with no network (nan: not that case):")
    print_scores({"baseline": scores["baseline"], **no_network(args.shipped, args.n)},
                 "baseline", verdicts=False)
    translators = {label: load_translator(path, args.device, engine="torch")
                   for label, path in models.items()}
    parts = held_out_rows(translators, args.sheet_pictures)
    if not args.no_canvas:
        parts.append(canvas_section(load_translator(args.shipped, args.device), work))
    stacked(parts).save(args.sheet, quality=90)
    print(f"sheet: {args.sheet}: rows of line art | {' | '.join(models)} | original, bare, "
          f"then with {SQUARE_DABS} dabs a 256 px square"
          + ("" if args.no_canvas else "; canvas: sketch | 256 px (enlarged) / 512 px at the "
             "training scale | 512 px at its own size"))
    if not args.no_studio:
        studio_section(work, args.studio_rounds, args.draw_seconds)


if __name__ == "__main__":
    main()
