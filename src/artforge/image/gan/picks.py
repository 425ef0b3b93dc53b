"""Pictures made from samples the artist picked out of a GAN grid: variations of one sample,
and a strip blending one sample into another. Both are catalogued works that
`artforge catalog reproduce` can make again.

A grid sample is identified by the grid's seed, its size `n` and its `index`: its latent is
row `index` of the grid's seeded latents (`artforge.image.gan.sampling.seeded_latents`).
"""

import math
from pathlib import Path
from typing import Any

import torch

from artforge.core import checkpoint
from artforge.core.card import invoking_command
from artforge.core.registry import PIPELINES
from artforge.core.versions import package_versions
from artforge.errors import UserError

VARY_PIPELINE = "studio.gan.vary"
BLEND_PIPELINE = "studio.gan.blend"


def _picked(model: Any, params: dict[str, Any], seed: int, key: str) -> torch.Tensor:
    from artforge.image.gan.sampling import seeded_latents

    index = params[key]
    if not 0 <= index < params["n"]:
        raise UserError(f"sample {index} is not in a grid of {params['n']}.")
    return seeded_latents(model, params["n"], seed)[index:index + 1]


def variation_latents(model: Any, params: dict[str, Any], seed: int) -> torch.Tensor:
    """The picked latent, then `variations` latents a step `strength` (0-1) of the way along
    the great circle towards fresh random ones: near neighbours of typical length."""
    from artforge.image.gan.sampling import slerp

    base = _picked(model, params, seed, "index")
    generator = torch.Generator().manual_seed(params["vary_seed"])
    others = torch.randn(params["variations"], base.shape[1], generator=generator)
    return torch.cat([base] + [slerp(base, others[i:i + 1], params["strength"])
                               for i in range(len(others))])


def blend_latents(model: Any, params: dict[str, Any], seed: int) -> torch.Tensor:
    from artforge.image.gan.sampling import slerp

    a, b = _picked(model, params, seed, "a"), _picked(model, params, seed, "b")
    steps = params["steps"]
    return torch.cat([slerp(a, b, i / (steps - 1)) for i in range(steps)])


def _draw(model: Any, latents: torch.Tensor, params: dict[str, Any], seed: int) -> Any:
    from artforge.image.gan.sampling import generate, grid_image

    images = generate(model, latents, seed, params["truncation"])
    columns = min(len(images), params.get("columns") or len(images))
    return grid_image(images, columns=columns)


def _write(pipeline: str, latents_of: Any, model_path: Path, out: Path,
           params: dict[str, Any], seed: int) -> Path:
    from artforge.catalog.provenance import save_png
    from artforge.image.gan.pipeline import load_gan

    model, folder = load_gan(model_path)
    picture = _draw(model, latents_of(model, params, seed), params, seed)
    provenance = {"pipeline": pipeline, "params": params, "seed": seed, "model": str(folder),
                  "model_hash": checkpoint.folder_hash(folder), "versions": package_versions()}
    return save_png(picture, Path(out), provenance)


def make(pipeline: str, model_path: Path, out: Path, params: dict[str, Any], seed: int,
         catalog: bool = True) -> Path:
    """Write the variations or the blend strip as a PNG with provenance, and catalogue it."""
    if not 0.0 <= params["truncation"] <= 1.0:
        raise UserError("truncation must be between 0 and 1.")
    latents_of = {VARY_PIPELINE: variation_latents, BLEND_PIPELINE: blend_latents}[pipeline]
    path = _write(pipeline, latents_of, model_path, out, params, seed)
    if catalog:
        from artforge.catalog import records

        records.record_work("image", pipeline, params, seed, path,
                            model_path=checkpoint.resolve(Path(model_path)),
                            command=invoking_command())
    return path


def strip_columns(count: int) -> int:
    """Variations and blends read left to right: one row up to 9, then near-square."""
    return count if count <= 9 else math.ceil(math.sqrt(count))


def _reproducer(pipeline: str):
    def reproduce(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
        if model_path is None:
            raise UserError("this picture has no model folder recorded, so it cannot be made "
                            "again.")
        return make(pipeline, Path(model_path), Path(out), params, seed, catalog=False)

    return reproduce


PIPELINES.register(VARY_PIPELINE)(_reproducer(VARY_PIPELINE))
PIPELINES.register(BLEND_PIPELINE)(_reproducer(BLEND_PIPELINE))
