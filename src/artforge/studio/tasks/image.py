"""GAN pictures: a grid of samples, variations of a picked sample, a blend between two."""

import math
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from artforge.studio.context import JobContext
from artforge.studio.limits import MAX_ID, STRICT
from artforge.studio.problems import Problem

GRID_GAP = 2
"""Pixels between the tiles of a grid (artforge.image.gan.sampling.grid_image's default)."""


class GanRequest(BaseModel):
    """A grid of new pictures from a GAN."""

    model_config = STRICT
    model: int = Field(ge=0, le=MAX_ID,
                       description="A GAN's id (GET /api/models?medium=gan).")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="The same seed gives the same grid.")
    truncation: float = Field(1.0, ge=0, le=1, description="Lower: more typical, less varied.")
    count: int = Field(16, ge=1, le=64, description="Pictures in the grid.")


class VaryRequest(GanRequest):
    """Variations of picture `index` of the grid made with the same seed, count and model."""

    index: int = Field(ge=0, le=63, description="Which picture of the grid (0 = top left).")
    strength: float = Field(0.3, gt=0, le=1, description="How far the variations wander.")
    variations: int = Field(8, ge=1, le=24)
    vary_seed: int = Field(1, ge=0, le=2**31 - 1)


class BlendRequest(GanRequest):
    """A strip of pictures going from grid picture `a` to grid picture `b`."""

    a: int = Field(ge=0, le=63)
    b: int = Field(ge=0, le=63)
    steps: int = Field(8, ge=3, le=24, description="Pictures in the strip, both ends included.")


def prepare(request: GanRequest, model_path: str) -> dict[str, Any]:
    picks = [getattr(request, name) for name in ("index", "a", "b") if hasattr(request, name)]
    if any(pick >= request.count for pick in picks):
        raise Problem(400, f"the grid has {request.count} pictures, numbered 0 to "
                           f"{request.count - 1}.")
    return {"request": request.model_dump(), "model": model_path}


def sample(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.image.gan.pipeline import sample_gan

    request = params["request"]
    context.progress(0.1, "drawing…")
    path = sample_gan(Path(params["model"]), context.out / "grid.png", n=request["count"],
                      seed=request["seed"], truncation=request["truncation"])
    return {"image": path.name, "count": request["count"],
            "columns": math.ceil(math.sqrt(request["count"])), "gap": GRID_GAP}


def _picks(context: JobContext, params: dict[str, Any], pipeline: str,
           extra: dict[str, Any], count: int, name: str) -> dict[str, Any]:
    """Draw `count` pictures made from grid picks into the PNG `name`."""
    from artforge.image.gan.picks import make, strip_columns

    request = params["request"]
    recipe = {"n": request["count"], "truncation": request["truncation"],
              "columns": strip_columns(count), **extra}
    context.progress(0.1, "drawing…")
    path = make(pipeline, Path(params["model"]), context.out / name, recipe, request["seed"])
    return {"image": path.name, "count": count, "columns": recipe["columns"], "gap": GRID_GAP}


def vary(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.image.gan.picks import VARY_PIPELINE

    request = params["request"]
    extra = {key: request[key] for key in ("index", "strength", "variations", "vary_seed")}
    return _picks(context, params, VARY_PIPELINE, extra, request["variations"] + 1,
                  "variations.png")


def blend(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.image.gan.picks import BLEND_PIPELINE

    request = params["request"]
    extra = {key: request[key] for key in ("a", "b", "steps")}
    return _picks(context, params, BLEND_PIPELINE, extra, request["steps"], "blend.png")
