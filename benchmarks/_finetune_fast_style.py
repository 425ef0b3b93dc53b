"""finetune_images.py fast-style: a shipped fast style fine-tuned for a new style picture
vs the same network from nothing, scored on held-out photos by the new style's training losses
(finetune_images.py's docstring tells the set-up)."""

import re
import statistics
import sys
from pathlib import Path

import torch
from _finetune_arms import CROP, SCRIPTS, STYLE_CROPS, fresh_copy, side_by_side

FAST_PHOTOS, FAST_SIDE = 200, 256
"""fast-style: the user's photos, and the side of the photos they and the held-out ones are at."""


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
    from _style_bench import TrainingLosses, held_out_photos
    from fast_styles import write_sheet

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
