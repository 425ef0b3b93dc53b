"""`image eval` for a pix2pix / pix2pixhd model: how close its paintings of held-out line art
come to the real pictures (L1, LPIPS-like VGG16 distance, FID-VGG16, KID)."""

import json
from pathlib import Path
from typing import Any

import torch

from artforge.errors import UserError

SHEET_FILE = "translations.png"
METRICS_FILE = "metrics.json"
SHEET_ROWS = 8
EVAL_DABS = 8
"""Dabs of the real colours per crop when a model that reads hints is scored with them
(the mean number it trained with)."""


def is_translation_model(model_path: str | Path) -> bool:
    """Whether the model (or run) folder, or the shipped builtin:NAME, holds a pix2pix or
    pix2pixhd model."""
    from artforge.core import checkpoint
    from artforge.image.pix2pix.architectures import KINDS
    from artforge.image.pix2pix.translate import painting_model_folder

    try:
        folder = painting_model_folder(model_path)  # a shipped painting model's, or the path
    except UserError:
        return False  # a shipped model of another kind
    return checkpoint.read_header(checkpoint.resolve(folder))["kind"] in KINDS


@torch.no_grad()
def _translate_all(model, sketches: torch.Tensor, hints: torch.Tensor | None = None,
                   batch: int = 8) -> torch.Tensor:
    device = next(model.parameters()).device
    parts = [model.translate(sketches[i:i + batch].to(device),
                             None if hints is None else hints[i:i + batch].to(device))
             .float().cpu() for i in range(0, len(sketches), batch)]
    return torch.cat(parts).clamp(-1, 1)


def evaluate_pix2pix(model_path: Path, data: str, out: Path, *, n: int = 64,
                     device: str = "cpu") -> dict[str, Any]:
    """Score `n` fixed crops of the held-out pictures of `data` (the split the model was
    trained with); write metrics.json and a sheet of (line art, painting, real) rows. A
    model that reads colour hints is also scored with EVAL_DABS seeded dabs of the real
    colours per crop (`l1_hinted`, `perceptual_hinted`)."""
    from artforge.catalog.provenance import save_png
    from artforge.core import checkpoint
    from artforge.core.atomic import write_text
    from artforge.image.gan import metrics
    from artforge.image.pix2pix.crops import fixed_crops
    from artforge.image.pix2pix.losses import perceptual_distance
    from artforge.image.pix2pix.pairs import load_pairs
    from artforge.image.pix2pix.sheets import triptych_sheet
    from artforge.image.pix2pix.train import held_out_pairs
    from artforge.image.pix2pix.translate import load_translator

    # 1. Check inputs, load the model and the held-out pairs at its crop size.
    if not 2 <= n <= 10_000:
        raise UserError(f"--n must be between 2 and 10000, not {n}.")
    translator = load_translator(model_path, device, engine="torch")
    model, folder = translator.model, translator.folder  # builtin:NAME resolved too
    config = model.config
    _, held = held_out_pairs(load_pairs(data, config.size, config.sketch), config.holdout)
    if held is None:
        raise UserError(f"{folder} was trained with no held-out pictures (holdout 0); there "
                        "is nothing it has not seen to score it on.")
    sketches, real = fixed_crops(held, config.size, n)
    # 2. Translate and score.
    fake = _translate_all(model, sketches)
    scores = metrics.distances(metrics.vgg_features((fake + 1) / 2, device=device),
                               metrics.vgg_features((real + 1) / 2, device=device))
    result = {"model": str(folder), "kind": model.kind, "data": data, "n": n,
              "held_out_pictures": held.names,
              "l1": float((fake - real).abs().mean() / 2),
              "perceptual": float(perceptual_distance(fake, real).mean()), **scores,
              "model_hash": checkpoint.folder_hash(folder)}
    if config.hints:
        from artforge.image.pix2pix.hints import sample_hints

        dabs = sample_hints(real, torch.Generator().manual_seed(0), count=EVAL_DABS)
        hinted = _translate_all(model, sketches, dabs)
        result.update({"dabs": EVAL_DABS, "l1_hinted": float((hinted - real).abs().mean() / 2),
                       "perceptual_hinted": float(perceptual_distance(hinted, real).mean())})
    # 3. Write the sheet and the numbers.
    out = Path(out)
    rows = min(SHEET_ROWS, n)
    save_png(triptych_sheet(sketches[:rows], fake[:rows], real[:rows]), out / SHEET_FILE,
             {"pipeline": "pix2pix.eval", **result})
    write_text(out / METRICS_FILE, json.dumps(result, indent=2, sort_keys=True) + "\n")
    return result
