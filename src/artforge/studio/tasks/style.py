"""Style transfer: a photo painted in the style of a painting (built-in or uploaded), where a
painted mask says, with the optimisation's progress streamed, or by a fast style network (the
ones artforge ships, or the user's); and a video, frame by frame."""

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from artforge.studio.context import JobContext
from artforge.studio.limits import MAX_ID, STRICT

DETAIL = {"preview": (8, 2), "quick": (30, 10), "standard": (150, 50, 10),
          "fine": (300, 100, 30)}
"""Iterations per scale, coarse to fine (artforge.style.options.TransferOptions.iterations):
a preview shows the composition in seconds; the others paint it."""
INSTANT = "instant"
"""The fifth detail: no optimisation, the built-in AdaIN decoder (builtin:adain) paints in
one pass, with the strength as its alpha."""
INSTANT_MODEL = "builtin:adain"
FRAME_ITERATIONS = {"preview": 3, "quick": 10, "standard": 30, "fine": 60}
BASE_STYLE_WEIGHT = 20.0
"""The library's default style weight, at strength 3."""


def style_weight(strength: float) -> float:
    """Strength 1-5 on the page → the loss weight: each step multiplies it by √10."""
    return BASE_STYLE_WEIGHT * 10 ** ((strength - 3) / 2)


def instant_alpha(strength: float) -> float:
    """Strength 1-5 on the page → AdaIN's alpha, 0.2 to 1."""
    return strength / 5.0


class StyleLook(BaseModel):
    """Which style, how strong, whose colours: what the live preview and the jobs share."""

    model_config = STRICT
    style: str = Field(max_length=80, description="builtin:PAINTING (GET /api/paintings) or an "
                                                  "uploaded picture's id.")
    style_strength: float = Field(3.0, ge=1, le=5, description="1 faint … 5 strong.")
    preserve_color: bool = Field(False, description="Keep the photo's colours.")


class StyleOptions(StyleLook):
    style: str | None = Field(None, max_length=80, description=(
        "builtin:PAINTING (GET /api/paintings) or an uploaded picture's id; none with a "
        "`model`."))
    model: int | None = Field(None, ge=0, le=MAX_ID, description=(
        "A fast style network's id (GET /api/models?medium=style: the ones artforge ships "
        "first): it paints the style it learned in one pass, so there is no `style`, and the "
        "detail and the strength are not used."))
    detail: Literal[(INSTANT, *DETAIL)] = Field(
        "standard", description="instant (the built-in trained decoder, one pass), preview, "
                                "quick, standard or fine (optimisation, longer each).")
    seed: int = Field(0, ge=0, le=2**31 - 1)

    @model_validator(mode="after")
    def one_style(self) -> "StyleOptions":
        if (self.style is None) == (self.model is None):
            raise ValueError("give a style (a painting or an uploaded picture) or a fast style "
                             "model, one of them")
        return self


class StyleRequest(StyleOptions):
    """Paint an uploaded photo in a style, where the (optional) mask is white."""

    content: str = Field(max_length=32, description="The uploaded photo's id.")
    mask: str | None = Field(None, max_length=32, description="An uploaded mask's id: white "
                                                              "where the style goes.")
    size: int = Field(384, ge=64, le=2048, description="Longer side of the result in pixels.")


class VideoRequest(StyleOptions):
    """Stylise an uploaded video, following its motion so it does not flicker."""

    video: str = Field(max_length=32, description="The uploaded video's id.")
    size: int = Field(256, ge=64, le=1024, description="Longer side of the frames in pixels.")
    max_frames: int = Field(240, ge=1, le=3000, description="Frames to stylise at most.")


def _options(request: StyleOptions) -> dict[str, Any]:
    return {"style_weight": style_weight(request.style_strength),
            "preserve_colour": "luminance" if request.preserve_color else "none"}


def prepare(request: StyleOptions, paths: dict[str, str | None]) -> dict[str, Any]:
    """`paths`: the uploads (content or video, mask, style) and the fast style model's folder
    (or None) resolved by the route."""
    return {"request": request.model_dump(), **paths, "options": _options(request)}


def stylise_image(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.style.pipeline import transfer_image

    request = params["request"]

    def report(step: int, total: int, loss: float) -> None:
        context.progress(step / total, f"iteration {step} of {total} · loss {loss:.3g}")

    if params.get("model") or request["detail"] == INSTANT:
        from artforge.style.stylize import stylize_images

        context.progress(0.0, "painting in one pass…")
        model, how = ((params["model"], {}) if params.get("model") else
                      (INSTANT_MODEL, {"styles": [params["style"]],
                                       "alpha": instant_alpha(request["style_strength"])}))
        [path] = stylize_images(model, params["content"], context.out / "styled.png",
                                mask=params["mask"], max_side=request["size"],
                                preserve_colour=params["options"]["preserve_colour"], **how)
        return {"image": Path(path).name}
    context.progress(0.0, "reading the pictures…")
    path = transfer_image(params["content"], params["style"], context.out / "styled.png",
                          mask=params["mask"], progress=report, seed=request["seed"],
                          show_progress=False, size=request["size"],
                          iterations=DETAIL[request["detail"]], **params["options"])
    return {"image": Path(path).name}


def stylise_video(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.style.video import stylize_video

    request = params["request"]

    def report(done: int, total: int) -> None:
        context.progress(done / total, f"frame {done} of {total}")

    context.progress(0.0, "reading the video…")
    if params.get("model"):
        how: dict[str, Any] = {"model": params["model"]}
    elif request["detail"] == INSTANT:
        how = {"model": INSTANT_MODEL, "styles": [params["style"]],
               "alpha": instant_alpha(request["style_strength"])}
    else:
        how = {"frame_iterations": FRAME_ITERATIONS[request["detail"]],
               "iterations": DETAIL[request["detail"]], "styles": [params["style"]],
               **params["options"]}
    made = stylize_video(params["video"], context.out / "styled.mp4", size=request["size"],
                         max_frames=request["max_frames"], progress=report,
                         seed=request["seed"], show_progress=False, **how)
    return {"video": made.path.name, "frames": made.frames, "fps": made.fps,
            "flicker": made.flicker}
