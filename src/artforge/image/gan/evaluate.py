"""The `image eval` task: how close a GAN's pictures are to its training set, and whether it
copies them (the nearest-neighbour sheet)."""

import json
from pathlib import Path
from typing import Any

from artforge.errors import UserError

SHEET_FILE = "nearest-neighbours.png"
METRICS_FILE = "metrics.json"


def evaluate_gan(model_path: Path, data: str, out: Path, *, n: int = 500, count: int = 500,
                 seed: int = 0, data_seed: int | None = None, sheet_pairs: int = 16,
                 device: str = "cpu", inception: Path | None = None) -> dict[str, Any]:
    """FID-VGG16 and KID of `n` samples against `data`, plus a sheet of `sheet_pairs`
    samples each beside its nearest training image; written to `out`, returned as a dict.

    A builtin: set makes `count` pictures with `data_seed` (None: `seed`); another seed than
    the model trained on gives pictures it never saw (held-out scores).

    With `inception` (the path of pytorch-fid's `pt_inception` weights file) the standard
    Inception FID is added as "fid_inception"."""
    from artforge.catalog.provenance import save_png
    from artforge.core import checkpoint
    from artforge.core.atomic import write_text
    from artforge.data.image_folders import load_image_set
    from artforge.encoders.fid import frechet_distance
    from artforge.encoders.inception import inception_features, load_fid_inception
    from artforge.image.gan import metrics
    from artforge.image.gan.pipeline import load_gan
    from artforge.image.gan.sampling import generate, seeded_latents

    # 1. Check inputs, load the model and the real pictures at its size.
    if not 2 <= n <= 50_000:
        raise UserError(f"--n must be between 2 and 50000, not {n}.")
    inception_net = load_fid_inception(inception) if inception is not None else None
    model, folder = load_gan(model_path, device)
    data_seed = seed if data_seed is None else data_seed
    real = load_image_set(data, model.config.size, count=count, seed=data_seed).images
    # 2. Samples and features.
    samples = generate(model, seeded_latents(model, n, seed), seed)
    fake_features = metrics.vgg_features(samples, device=device)
    real_features = metrics.vgg_features(real, device=device)
    # 3. Scores and the memorisation sheet.
    scores = metrics.distances(fake_features, real_features)
    if inception_net is not None:
        scores["fid_inception"] = frechet_distance(
            inception_features(samples, inception_net, device=device),
            inception_features(real, inception_net, device=device))
    index, gap = metrics.nearest_neighbours(fake_features, real_features)
    shown = min(sheet_pairs, n)
    sheet = metrics.nearest_sheet(samples[:shown], real.float() / 255.0, index[:shown])
    result = {"model": str(folder), "data": data, "n_generated": n, "n_real": len(real),
              "seed": seed, "data_seed": data_seed, **scores,
              "median_nearest_distance": float(gap.median()),
              "median_nearest_distance_real": metrics.self_nearest_distance(real_features),
              "model_hash": checkpoint.folder_hash(folder)}
    out = Path(out)
    save_png(sheet, out / SHEET_FILE, {"pipeline": "gan.eval", **result})
    write_text(out / METRICS_FILE, json.dumps(result, indent=2, sort_keys=True) + "\n")
    return result

