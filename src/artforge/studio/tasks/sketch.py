"""Sketch → painting: line art drawn on the page (or drawn from a photo) painted by a pix2pix
model."""

import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from artforge.studio.context import JobContext
from artforge.studio.limits import MAX_ID, STRICT
from artforge.studio.tasks.cache import cached_model

LINE_ART_SIDE = 512
"""Photos are drawn as line art at most this large: the canvas on the page is smaller."""


class PaintRequest(BaseModel):
    """Paint an uploaded sketch (black lines on white) with a pix2pix model."""

    model_config = STRICT
    model: int = Field(ge=0, le=MAX_ID,
                       description="A pix2pix model's id (GET /api/models?medium=sketch).")
    sketch: str = Field(max_length=32, description="The uploaded sketch's id.")
    hints: str | None = Field(None, max_length=32, description=(
        "An uploaded picture of colour hints, the sketch's size: its opaque pixels are "
        "colours to paint there (models trained with hints only)."))


class LinesRequest(BaseModel):
    """Line art of an uploaded photo, to paint over or to paint from."""

    model_config = STRICT
    photo: str = Field(max_length=32, description="The uploaded photo's id.")
    detail: float = Field(0.5, ge=0, le=1, description="0 only the strongest lines, 1 faint "
                                                       "ones too.")


def paint(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.image.pix2pix.translate import load_translator, translate

    context.progress(0.1, "painting…")
    hints = params.get("hints")
    made = translate(Path(params["model"]), Path(params["sketch"]), context.out / "painting.png",
                     hints=None if hints is None else Path(hints),
                     translator=cached_model(params["model"], load_translator))
    return {"image": made[0].name}


def warm_up() -> None:
    """Load the shipped model, the tab's default, into this worker's cache (its ONNX exported
    into the user cache the first time) and paint a canvas sketch with it, as `paint` does:
    every import and first call the first stroke needs is then made."""
    from artforge.image.pix2pix.demo import SHIPPED_MODEL, canvas_sketch
    from artforge.image.pix2pix.translate import (
        load_translator,
        painting_model_folder,
        translate,
    )

    # The studio catalogues shipped models by their resolved folder; jobs name them by it.
    folder = painting_model_folder(SHIPPED_MODEL).resolve()
    translator = cached_model(str(folder), load_translator)
    with tempfile.TemporaryDirectory(prefix="artforge-warm-up-") as scratch:
        sketch = canvas_sketch(Path(scratch) / "sketch.png")
        translate(folder, sketch, Path(scratch) / "painting.png", translator=translator,
                  catalog=False)


def lines(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """The line art is a step towards a painting, not a work: it is not catalogued."""
    from artforge.image.sketch.methods import SketchConfig
    from artforge.image.sketch.pipeline import extract_sketch

    context.progress(0.1, "finding the lines…")
    made = extract_sketch(params["photo"], context.out / "lines.png",
                          SketchConfig(detail=params["detail"]), max_side=LINE_ART_SIDE,
                          catalog=False)
    return {"image": Path(made).name}
