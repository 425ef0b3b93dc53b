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
  (fast_styles.py's TrainingLosses, in benchmarks/_style_bench.py, with the fine-tuned
  model's style picture, layers and weights: relative content and Gram errors, and the
  weighted total with TV that the training minimises; lower is better). The shipped model
  untouched paints its own style: what the fine-tuning has to move away from. --sheet PATH:
  3 held-out photos painted by the three (fast_styles.py's contact sheet).

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
import platform
import statistics
import tempfile
from pathlib import Path

import torch
from _finetune_arms import (
    STYLE_CROPS,
    copied,
    fresh_copy,
    painter_paintings,
    side_by_side,
    slug,
)
from _finetune_fast_style import fast_style_arms
from _style_bench import GatysObjective, held_out_pairs

from artforge.core import checkpoint

SIDE = 384


# Style -------------------------------------------------------------------------------------
def gatys_objective(folder: str | Path, pairs, objective: GatysObjective) -> dict[str, float]:
    """Mean relative content and Gram errors of the model's paintings of `pairs`."""
    from artforge.style.stylize import load_style_model

    model, _ = load_style_model(folder, "cpu")
    with torch.no_grad():
        found = [objective(model.stylize(photo, [painting])[..., :SIDE, :SIDE],
                           objective.targets(photo, painting)) for photo, painting in pairs]
    return {"content": statistics.mean(c for c, _ in found),
            "style": statistics.mean(s for _, s in found)}


def style_arms(args, root: Path) -> None:
    from artforge.style.stylize import load_style_model

    train, held = painter_paintings(args.painter)
    mine = copied(train, root / "mine")
    shipped, _ = load_style_model("builtin:adain")
    sources = {"from builtin:adain": "builtin:adain",
               "from nothing": fresh_copy(shipped, root / "fresh")}
    runs = side_by_side(["style", "train", "--method", "adain", "--style", str(mine),
                         *STYLE_CROPS], sources, root, args.minutes)
    pairs, objective = held_out_pairs(held, args.pairs, SIDE), GatysObjective()
    scores = {label: gatys_objective(out, pairs, objective) for label, (out, _) in runs.items()}
    untouched = gatys_objective("builtin:adain", pairs, objective)
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
