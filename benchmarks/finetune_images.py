"""Fine-tuning a trained image model on a small folder of a user's kind vs training the same
network from nothing, side by side for the same CPU minutes, through the command line;
held-out scores side by side (and the model it started from, untouched).

- style: builtin:adain fine-tuned (`style train --method adain --init-from builtin:adain`) on
  the paintings of one painter in builtin:art-library (--painter, default Van Gogh): every
  third of them is held out, the rest are the user's folder. Scored on held-out (photo,
  painting) pairs at 384 px: photos of builtin:photo-library that no artforge model trained
  on (every tenth, as in benchmarks/instant_style.py) with the painter's held-out paintings as
  styles; Gatys' objective as instant_style.py's part (q) computes it (relative content error
  at relu4_2, relative Gram error at relu1_1..relu5_1, VGG16; lower is better).
- pix2pix (with --pix2pix-from MODEL): fine-tuned on --pix2pix-data (default: the painter's
  paintings), its line art drawn by the model's method; `image eval`'s scores
  (artforge.image.pix2pix.evaluate) on the folder's held-out pictures (--holdout): L1
  (lower is better), FID-VGG16 and KID.
- gan (with --gan-from MODEL): fine-tuned on --gan-data (default: the painter's paintings)
  less every third picture, which is held out; `image eval`'s FID-VGG16 and KID
  (artforge.image.gan.evaluate) of --samples samples against the held-out pictures.
- fast-style: a shipped fast style (--style-from, default builtin:starry-night) fine-tuned
  (`style train --method johnson --init-from`) for a style picture none of the six was trained
  on (--style-picture, default builtin:paintings/hokusai-ryogoku-bridge), on 200 photos of
  builtin:photo-library's training part (all but every tenth, as in
  scripts/make_fast_styles.py), one 128 px square cut at random from each at 256 px, as that
  training cut them.
  Scored on --photos held-out photos (every tenth) at 256 px by the new style's training losses
  (benchmarks/fast_styles.py's TrainingLosses with the fine-tuned model's style picture,
  layers and weights: relative content and Gram errors, and the weighted total with TV that
  the training minimises; lower is better). The shipped model untouched paints its own style:
  what the fine-tuning has to move away from. --sheet PATH: 3 held-out photos painted by the
  three (fast_styles.py's contact sheet).

"From nothing" is the same command from a copy of the model with new weights, so the two arms
differ only in what the trained weights knew. Both arms run at once, one thread each
(ARTFORGE_THREADS=1), with the same --minutes, which count from each command's start.

    .venv/bin/python benchmarks/finetune_images.py style [--minutes 5]
    .venv/bin/python benchmarks/finetune_images.py pix2pix --pix2pix-from runs/p2p|builtin:NAME \
        [--pix2pix-data DIR]
    .venv/bin/python benchmarks/finetune_images.py gan --gan-from runs/gan|builtin:NAME \
        [--gan-data DIR]
    .venv/bin/python benchmarks/finetune_images.py fast-style [--style-from builtin:NAME] \
        [--style-picture PICTURE] [--photos 8] [--sheet PATH]
"""

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F

from artforge.core import checkpoint

SIDE = 384
CROP = 128
STYLE_CROPS = ["--size", str(CROP), "--batch-size", "4"]
"""A CPU's settings for both style arms: 128 px crops in batches of 4 (the paper's 256 x 8
makes about 40 s a step, a handful of steps in five minutes). They are also `style train
--method johnson`'s defaults and the crops the shipped fast styles trained on."""
FAST_PHOTOS, FAST_SIDE = 200, 256
"""fast-style: the user's photos, and the side of the photos they and the held-out ones are at."""
SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def painter_paintings(painter: str) -> tuple[list[Path], list[Path]]:
    """The painter's paintings in builtin:art-library: (to train on, held out: every third)."""
    from artforge.data.image_folders import scan_folder
    from artforge.data.libraries import library_folder

    files, _ = scan_folder(library_folder("builtin:art-library"))
    found = sorted(p for p in files if painter in p.stem)
    if len(found) < 4:
        raise SystemExit(f"only {len(found)} paintings by {painter} in builtin:art-library")
    return [p for i, p in enumerate(found) if i % 3 != 1], found[1::3]


def copied(files: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in files:
        shutil.copy(path, folder / path.name)
    return folder


def side_by_side(command: list[str], sources: dict[str, str], root: Path,
                 minutes: float) -> dict[str, tuple[Path, str]]:
    """Run `artforge *command --init-from SOURCE --out ...` for each arm at once, one thread
    each; each arm's run folder and the last line it printed."""
    env = {**os.environ, "ARTFORGE_THREADS": "1"}
    running = {}
    for label, source in sources.items():
        out = root / slug(label)
        running[label] = (out, subprocess.Popen(
            [sys.executable, "-m", "artforge", *command, "--init-from", source, "--out",
             str(out), "--minutes", str(minutes), "--steps", "1000000", "--device", "cpu"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    finished = {}
    for label, (out, process) in running.items():
        stdout, stderr = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"{label}: {stderr.strip()[-2000:]}")
        finished[label] = (out, stdout.strip().splitlines()[-1])
    return finished


def slug(label: str) -> str:
    return re.sub(r"[^\w-]", "-", label)


def fresh_copy(model, folder: Path) -> str:
    """A copy of `model`'s network with new (seeded) weights, saved in `folder`."""
    torch.manual_seed(0)
    config = model.config.replace(init_from=None)
    return str(checkpoint.save(type(model).from_config(config), folder))


# Style -------------------------------------------------------------------------------------
def style_pairs(styles: list[Path], count: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """`count` (photo, painting) pairs: held-out library photos, held-out paintings."""
    from artforge.data.pictures import fit_long_side, open_picture, to_array
    from artforge.style.works import to_tensor

    sys.path.insert(0, str(SCRIPTS))
    from make_instant import held_out_photos

    photos = held_out_photos()
    pairs = []
    for k in range(count):
        photo = F.interpolate(photos[(k * 7) % len(photos)][None].float() / 255, size=(SIDE,) * 2,
                              mode="bilinear", antialias=True, align_corners=False)
        style = to_tensor(to_array(fit_long_side(open_picture(str(styles[k % len(styles)])),
                                                 SIDE)))
        pairs.append((photo, style))
    return pairs


def gatys_objective(folder: str | Path, pairs, vgg) -> dict[str, float]:
    """Mean relative content and Gram errors of the model's paintings of `pairs`."""
    from artforge.style.losses import content_loss, gram, style_loss
    from artforge.style.options import CONTENT_LAYERS, STYLE_LAYERS
    from artforge.style.stylize import load_style_model

    model, _ = load_style_model(folder, "cpu")
    content, style = [], []
    weights = {name: 1.0 / len(STYLE_LAYERS) for name in STYLE_LAYERS}
    with torch.no_grad():
        for photo, painting in pairs:
            found = vgg(model.stylize(photo, [painting])[..., :SIDE, :SIDE])
            wanted = {n: f for n, f in vgg(photo).items() if n in CONTENT_LAYERS}
            grams = {n: gram(f) for n, f in vgg(painting).items() if n in STYLE_LAYERS}
            content.append(float(content_loss(found, wanted, CONTENT_LAYERS)))
            style.append(float(style_loss(found, grams, weights)))
    return {"content": statistics.mean(content), "style": statistics.mean(style)}


def style_arms(args, root: Path) -> None:
    from artforge.encoders.vgg16 import load_vgg
    from artforge.style.options import CONTENT_LAYERS, STYLE_LAYERS
    from artforge.style.stylize import load_style_model

    train, held = painter_paintings(args.painter)
    mine = copied(train, root / "mine")
    shipped, _ = load_style_model("builtin:adain")
    sources = {"from builtin:adain": "builtin:adain",
               "from nothing": fresh_copy(shipped, root / "fresh")}
    runs = side_by_side(["style", "train", "--method", "adain", "--style", str(mine),
                         *STYLE_CROPS], sources, root, args.minutes)
    pairs = style_pairs(held, args.pairs)
    vgg = load_vgg(STYLE_LAYERS + CONTENT_LAYERS)
    scores = {label: gatys_objective(out, pairs, vgg) for label, (out, _) in runs.items()}
    untouched = gatys_objective("builtin:adain", pairs, vgg)
    print(f"style: {args.painter} in builtin:art-library, {len(train)} paintings to train on, "
          f"{len(held)} held out; {args.minutes:g} CPU minutes each, side by side, one thread "
          f"each, `artforge style train --method adain --init-from` ({' '.join(STYLE_CROPS)}); "
          f"{len(pairs)} held-out (photo, painting) pairs at {SIDE} px, Gatys' objective "
          "(lower is better)")
    for label, (_, trained) in runs.items():
        found = scores[label]
        print(f"  {label:<24} content {found['content']:.3f}  style {found['style']:.3f}; "
              f"{trained}")
    print(f"  {'builtin:adain untouched':<24} content {untouched['content']:.3f}  style "
          f"{untouched['style']:.3f}")
    tuned, fresh = scores["from builtin:adain"], scores["from nothing"]
    print(f"fine-tuned / from nothing: content {tuned['content'] / fresh['content']:.2f}, "
          f"style {tuned['style'] / fresh['style']:.2f}; fine-tuned / untouched: content "
          f"{tuned['content'] / untouched['content']:.2f}, style "
          f"{tuned['style'] / untouched['style']:.2f}")


# pix2pix -----------------------------------------------------------------------------------
def pix2pix_arms(args, root: Path) -> None:
    from artforge.image.pix2pix.evaluate import evaluate_pix2pix
    from artforge.image.pix2pix.pairs import load_pairs
    from artforge.image.pix2pix.translate import painting_model_folder

    source = checkpoint.load(checkpoint.resolve(painting_model_folder(args.pix2pix_from)))
    data = args.pix2pix_data
    if data is None:
        train, held = painter_paintings(args.painter)
        data = str(copied([*train, *held], root / "mine"))
    config = source.config.replace(holdout=args.holdout)
    load_pairs(data, config.size, config.sketch)  # line art drawn once, before the clocks
    sources = {f"from {args.pix2pix_from}": args.pix2pix_from,
               "from nothing": fresh_copy(source, root / "fresh")}
    runs = side_by_side(["image", "pix2pix", "train", "--data", data, "--holdout",
                         str(args.holdout), "--method", config.sketch.method], sources, root,
                        args.minutes)
    source.config = config  # scored on the same held-out pictures as the arms
    untouched = source.save(root / "untouched")
    scores = {label: evaluate_pix2pix(folder, data, root / "eval" / slug(label), n=args.crops)
              for label, folder in [*((k, v[0]) for k, v in runs.items()),
                                    ("untouched", untouched)]}
    held = scores["untouched"]["held_out_pictures"]
    print(f"pix2pix: {data}, {len(held)} pictures held out ({', '.join(held)}); "
          f"{args.minutes:g} CPU minutes each, side by side, one thread each, `artforge image "
          f"pix2pix train --init-from`; {args.crops} held-out crops, `image eval`")
    for label, found in scores.items():
        trained = f"; {runs[label][1]}" if label in runs else ""
        print(f"  {label:<24} L1 {found['l1']:.4f}  FID-VGG16 {found['fid_vgg16']:.4f}  "
              f"KID {found['kid']:.5f}{trained}")
    tuned, fresh = scores[f"from {args.pix2pix_from}"], scores["from nothing"]
    print(f"held-out L1, fine-tuned / from nothing: {tuned['l1'] / fresh['l1']:.2f}; "
          f"fine-tuned / untouched: {tuned['l1'] / scores['untouched']['l1']:.2f}")


# GAN ---------------------------------------------------------------------------------------
def gan_arms(args, root: Path) -> None:
    from artforge.data.image_folders import scan_folder
    from artforge.image.gan.evaluate import evaluate_gan
    from artforge.image.gan.pipeline import gan_model_folder

    if args.gan_data:
        files = sorted(scan_folder(Path(args.gan_data))[0])
        train, held = [p for i, p in enumerate(files) if i % 3 != 1], files[1::3]
    else:
        train, held = painter_paintings(args.painter)
    mine, kept = copied(train, root / "gan-mine"), copied(held, root / "gan-held")
    source = checkpoint.load(checkpoint.resolve(gan_model_folder(args.gan_from)))
    sources = {f"from {args.gan_from}": args.gan_from,
               "from nothing": fresh_copy(source, root / "gan-fresh")}
    runs = side_by_side(["image", "gan", "train", "--data", str(mine)], sources, root,
                        args.minutes)
    folders = {**{label: out for label, (out, _) in runs.items()}, "untouched": args.gan_from}
    scores = {label: evaluate_gan(folder, str(kept), root / "eval" / slug(label), n=args.samples,
                                  count=len(held)) for label, folder in folders.items()}
    print(f"gan: {len(train)} pictures to train on, {len(held)} held out; {args.minutes:g} CPU "
          "minutes each, side by side, one thread each, `artforge image gan train "
          f"--init-from`; {args.samples} samples against the held-out pictures, `image eval`")
    for label, found in scores.items():
        trained = f"; {runs[label][1]}" if label in runs else ""
        print(f"  {label:<24} FID-VGG16 {found['fid_vgg16']:.4f}  KID {found['kid']:.5f}"
              f"{trained}")
    tuned, fresh = scores[f"from {args.gan_from}"], scores["from nothing"]
    print(f"held-out KID, fine-tuned / from nothing: "
          f"{tuned['kid'] / max(fresh['kid'], 1e-12):.2f}")


# Fast styles -------------------------------------------------------------------------------
def fast_style_photos(folder: Path, count: int, seed: int = 0) -> Path:
    """`count` photos of those the shipped fast styles trained on, one CROP px square cut at
    random from each at FAST_SIDE px, as their training cut them, saved in `folder`."""
    from PIL import Image

    sys.path.insert(0, str(SCRIPTS))
    from make_fast_styles import training_photos

    photos = training_photos(FAST_SIDE)
    generator = torch.Generator().manual_seed(seed)
    picked = torch.randperm(len(photos), generator=generator)[:count].tolist()
    corners = torch.randint(0, FAST_SIDE - CROP + 1, (len(picked), 2), generator=generator)
    folder.mkdir(parents=True)
    for index, (top, left) in zip(picked, corners.tolist(), strict=True):
        square = photos[index, :, top:top + CROP, left:left + CROP]
        Image.fromarray(square.permute(1, 2, 0).numpy()).save(folder / f"{index:03d}.png")
    return folder


def held_out_losses(model, photos: torch.Tensor, losses) -> dict[str, float]:
    """Mean content, style and TV losses of `model`'s paintings of `photos` (as saved: in
    [0, 1]) by `losses` (a TrainingLosses), and their total as its objective weighs them."""
    found = [losses.terms(model.stylize(photo).clamp(0, 1), photo) for photo in photos.split(1)]
    mean = {name: statistics.mean(terms[name] for terms in found) for name in found[0]}
    return {"content": mean["content"], "style": mean["style"], "tv": mean["tv"],
            "total": mean["loss"]}


def fast_style_arms(args, root: Path) -> None:
    from fast_styles import TrainingLosses, held_out_photos, write_sheet

    from artforge.style.fast_model import FastStyleModel
    from artforge.style.stylize import load_style_model

    shipped, _ = load_style_model(args.style_from)
    if not isinstance(shipped, FastStyleModel):
        raise SystemExit(f"--style-from {args.style_from} is a {shipped.kind!r} model, not a "
                         "fast style (johnson)")
    mine = fast_style_photos(root / "fast-mine", FAST_PHOTOS)
    tuned = f"from {args.style_from}"
    sources = {tuned: args.style_from, "from nothing": fresh_copy(shipped, root / "fast-fresh")}
    runs = side_by_side(["style", "train", "--method", "johnson", "--style", args.style_picture,
                         "--data", str(mine), "--style-weight", str(shipped.config.style_weight),
                         *STYLE_CROPS], sources, root, args.minutes)
    objective = load_style_model(runs[tuned][0])[0]  # the new style picture, layers, weights
    config, losses = objective.config, TrainingLosses(objective)
    photos = held_out_photos(FAST_SIDE)[:args.photos]
    folders = {**{label: out for label, (out, _) in runs.items()},
               f"{args.style_from} untouched": args.style_from}
    scores = {label: held_out_losses(load_style_model(folder)[0], photos, losses)
              for label, folder in folders.items()}
    print(f"fast-style: {args.style_picture} by fine-tuning {args.style_from}; {FAST_PHOTOS} "
          f"photos of builtin:photo-library's training part, a {CROP} px square of each; "
          f"{args.minutes:g} CPU minutes each, side by side, one thread each, `artforge style "
          f"train --method johnson --init-from` ({' '.join(STYLE_CROPS)}); {len(photos)} "
          f"held-out photos at {FAST_SIDE} px, the new style's training losses (content "
          f"{config.content_weight:g} x {', '.join(config.content_layers)}, style "
          f"{config.style_weight:g} x Gram at {', '.join(config.style_layers)} of the picture "
          f"at {config.style_size} px, TV {config.tv_weight:g}; lower is better)")
    print(f"  {'arm':<36}{'steps':>7}{'content':>9}{'style':>8}{'tv':>9}{'total':>8}")
    for label, found in scores.items():
        steps = re.search(r"step (\d+)", runs[label][1]).group(1) if label in runs else "-"
        print(f"  {label:<36}{steps:>7}{found['content']:9.3f}{found['style']:8.3f}"
              f"{found['tv']:9.4f}{found['total']:8.3f}")
    untouched = scores[f"{args.style_from} untouched"]["total"]
    print(f"held-out total, fine-tuned / from nothing: "
          f"{scores[tuned]['total'] / scores['from nothing']['total']:.2f}; fine-tuned / "
          f"untouched: {scores[tuned]['total'] / untouched:.2f}")
    if args.sheet is not None:
        write_sheet(args.sheet, folders, FAST_SIDE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("media", nargs="+", choices=["style", "pix2pix", "gan", "fast-style"])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--painter", default="van-gogh",
                        help="the user's kind: a word of the library's file names")
    parser.add_argument("--pairs", type=int, default=12, help="style: held-out pairs")
    parser.add_argument("--pix2pix-from", default=None)
    parser.add_argument("--pix2pix-data", default=None)
    parser.add_argument("--holdout", type=float, default=0.3, help="pix2pix")
    parser.add_argument("--crops", type=int, default=32, help="pix2pix: held-out crops")
    parser.add_argument("--gan-from", default=None)
    parser.add_argument("--gan-data", default=None)
    parser.add_argument("--samples", type=int, default=200, help="gan: samples scored")
    parser.add_argument("--style-from", default="builtin:starry-night",
                        help="fast-style: the shipped fast style (or johnson model) to fine-tune")
    parser.add_argument("--style-picture", default="builtin:paintings/hokusai-ryogoku-bridge",
                        help="fast-style: the user's new style picture")
    parser.add_argument("--photos", type=int, default=8, help="fast-style: held-out photos")
    parser.add_argument("--sheet", type=Path, default=None,
                        help="fast-style: a contact sheet of 3 held-out photos painted by each")
    args = parser.parse_args()
    arms = {"style": style_arms, "pix2pix": pix2pix_arms, "gan": gan_arms,
            "fast-style": fast_style_arms}
    for medium in args.media:
        if medium in ("pix2pix", "gan") and getattr(args, f"{medium}_from") is None:
            raise SystemExit(f"{medium} needs --{medium}-from MODEL: no such model ships yet")
    print(f"finetune_images: {platform.machine()}, torch {torch.__version__}")
    for medium in args.media:
        with tempfile.TemporaryDirectory() as tmp:
            arms[medium](args, Path(tmp))


if __name__ == "__main__":
    main()
