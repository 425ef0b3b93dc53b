"""Routes that make things: uploads, and one route per kind of job (each answers 202 with the
queued job; follow it at /api/jobs/{id}/events), saving a co-written text, and the Style tab's
live preview (answered at once)."""

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from artforge.studio import features, gallery, live_style, uploads
from artforge.studio.cowrite import PoemRequest, save_poem
from artforge.studio.problems import Problem
from artforge.studio.service import StudioDep
from artforge.studio.tasks import image, melodies, music, sketch, style, text, training

router = APIRouter(prefix="/api")


@router.post("/uploads", status_code=201, tags=["uploads"])
async def upload(kind: Annotated[str, Form(description="image, midi, zip, video or text")],
                 file: Annotated[UploadFile, File()], studio: StudioDep) -> dict[str, Any]:
    """Upload a file; it is checked by decoding it, and stored under a name the studio makes.
    Later requests refer to it by the returned id."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(uploads.save_upload, studio.settings, kind, file.filename,
                                   file.file)


@router.post("/text/suggest", status_code=202, tags=["text"])
def suggest_text(body: text.TextRequest, studio: StudioDep) -> dict[str, Any]:
    """Propose continuations of the text so far, streamed as they are written."""
    features.require("text")
    params = text.prepare(body, studio.model_path(body.model, "text"))
    return studio.submit("text.generate", params)


@router.post("/text/save", status_code=201, tags=["text"])
def save_text(body: PoemRequest, studio: StudioDep) -> dict[str, Any]:
    """Save a co-written text to the gallery, with the history of its suggestions."""
    model_path = studio.model_path(body.model, "text") if body.model is not None else None
    with studio.db() as conn:
        work_id = save_poem(conn, studio.settings.works_dir, body, model_path)
        return gallery.get_described(conn, studio.settings.home, work_id)


@router.post("/music/continue", status_code=202, tags=["music"])
def continue_music(body: music.MusicRequest, studio: StudioDep) -> dict[str, Any]:
    """Continue a primer (uploaded MIDI, played notes, or none): MIDI, audio and piano roll."""
    features.require("music")
    primer = studio.upload(body.primer, ("midi",))["path"] if body.primer else None
    params = music.prepare(body, studio.model_path(body.model, "music"), primer)
    return studio.submit("music.generate", params)


def _melodies(studio: StudioDep, given: dict[str, melodies.Melody]) -> dict[str, dict]:
    """Each melody as {"path": an uploaded MIDI file} or {"notes": [...]} for the job."""
    return {name: {"path": studio.upload(melody.upload, ("midi",))["path"]} if melody.upload
            else {"notes": [note.model_dump() for note in melody.notes]}
            for name, melody in given.items()}


@router.post("/music/blend", status_code=202, tags=["music"])
def blend_melodies(body: melodies.BlendRequest, studio: StudioDep) -> dict[str, Any]:
    """Melodies walking from A to B through a melody VAE's latent space."""
    features.require("melody")
    params = melodies.prepare(body, studio.model_path(body.model, "melody"),
                              _melodies(studio, {"a": body.a, "b": body.b}))
    return studio.submit("music.blend", params)


@router.post("/music/accompany", status_code=202, tags=["music"])
def accompany_melody(body: melodies.AccompanyRequest, studio: StudioDep) -> dict[str, Any]:
    """A band model's other voices around a melody."""
    features.require("band")
    params = melodies.prepare(body, studio.model_path(body.model, "band"),
                              _melodies(studio, {"melody": body.melody}))
    return studio.submit("music.accompany", params)


@router.post("/image/grid", status_code=202, tags=["image"])
def gan_grid(body: image.GanRequest, studio: StudioDep) -> dict[str, Any]:
    """A grid of GAN pictures."""
    features.require("gan")
    return studio.submit("gan.sample", image.prepare(body, studio.model_path(body.model, "gan")))


@router.post("/image/vary", status_code=202, tags=["image"])
def gan_vary(body: image.VaryRequest, studio: StudioDep) -> dict[str, Any]:
    """Variations of one picture of a grid."""
    features.require("gan")
    return studio.submit("gan.vary", image.prepare(body, studio.model_path(body.model, "gan")))


@router.post("/image/blend", status_code=202, tags=["image"])
def gan_blend(body: image.BlendRequest, studio: StudioDep) -> dict[str, Any]:
    """A strip blending one picture of a grid into another."""
    features.require("gan")
    return studio.submit("gan.blend", image.prepare(body, studio.model_path(body.model, "gan")))


@router.post("/sketch/paint", status_code=202, tags=["image"])
def paint_sketch(body: sketch.PaintRequest, studio: StudioDep) -> dict[str, Any]:
    """Paint a sketch with a pix2pix model (an all-dark canvas, or a blank one without colour
    hints, is a 400)."""
    from artforge.image.pix2pix.translate import read_sketch

    features.require("sketch")
    params = {"request": body.model_dump(), "model": studio.model_path(body.model, "sketch"),
              "sketch": studio.upload(body.sketch, ("image",))["path"]}
    if body.hints is not None:
        params["hints"] = studio.upload(body.hints, ("image",))["path"]
    read_sketch(Path(params["sketch"]), coloured=body.hints is not None)
    return studio.submit("sketch.paint", params)


@router.post("/sketch/lines", status_code=202, tags=["image"])
def line_art(body: sketch.LinesRequest, studio: StudioDep) -> dict[str, Any]:
    """Line art of a photo, to draw on or paint from."""
    features.require("sketch")
    params = {"request": body.model_dump(), "detail": body.detail,
              "photo": studio.upload(body.photo, ("image",))["path"]}
    return studio.submit("sketch.lines", params)


@router.post("/training", status_code=202, tags=["training"])
def start_training(body: training.TrainRequest, studio: StudioDep
                   ) -> dict[str, Any]:
    """Train a model on an upload or a built-in set; follow its loss at /api/jobs/{id}/metrics."""
    features.require("training")
    features.require(body.medium)  # a tab and its feature have one name
    recipe = training.tabs()[body.medium]
    if body.data.startswith("builtin:"):
        sets = [name for name, _ in recipe.datasets]
        if body.data not in sets:
            raise Problem(400, f"{body.data} is not a built-in {body.medium} set; choose one "
                               f"of {', '.join(sets)}.")
        data = body.data
    else:
        data = studio.upload(body.data, recipe.uploads)["path"]
    return studio.submit("train", training.prepare(body, data))


def _style_source(studio: StudioDep, spec: str | None) -> str | None:
    """A built-in painting as builtin:NAME, or an uploaded picture's path (None for none: a
    fast style model paints its own)."""
    if spec is None:
        return None
    if spec.startswith("builtin:"):
        from artforge.data.images import builtin_paintings

        if spec.removeprefix("builtin:") not in builtin_paintings():
            raise Problem(400, f"there is no built-in painting {spec!r} (GET /api/paintings).")
        return spec
    return studio.upload(spec, ("image",))["path"]


def _picture_paths(studio: StudioDep, body: style.StyleRequest | live_style.LiveStyleRequest
                   ) -> dict[str, str | None]:
    """The request's photo, mask (or None) and style as paths (a painting as builtin:NAME)."""
    return {"content": studio.upload(body.content, ("image",))["path"],
            "mask": studio.upload(body.mask, ("image",))["path"] if body.mask else None,
            "style": _style_source(studio, body.style)}


def _fast_style(studio: StudioDep, body: style.StyleOptions) -> str | None:
    """The folder of the request's fast style model, or None when it has a style instead."""
    return None if body.model is None else studio.model_path(body.model, "style")


@router.post("/style/image", status_code=202, tags=["style"])
def style_image(body: style.StyleRequest, studio: StudioDep) -> dict[str, Any]:
    """Paint a photo in a style, where the mask is white (by optimisation, progress per
    iteration, or in one pass by the built-in decoder or a fast style model)."""
    features.require("style")
    paths = {**_picture_paths(studio, body), "model": _fast_style(studio, body)}
    return studio.submit("style.image", style.prepare(body, paths))


@router.post("/style/live", tags=["style"], response_class=Response,
             responses={200: {"content": {"image/png": {}}, "description": "The preview."}})
def style_live(body: live_style.LiveStyleRequest, studio: StudioDep) -> Response:
    """The Style tab's instant preview as a PNG, at once (not a job, not kept): the photo's
    features and the style are cached, so another strength or colour choice only renders."""
    features.require("style")
    # A plain `def`: FastAPI runs it in its thread pool, so painting never holds up the loop.
    return Response(studio.live.paint(body, _picture_paths(studio, body)), media_type="image/png",
                    headers={"Cache-Control": "no-store"})


@router.post("/style/video", status_code=202, tags=["style"])
def style_video(body: style.VideoRequest, studio: StudioDep) -> dict[str, Any]:
    """Stylise a video frame by frame, following its motion; progress streams per frame."""
    features.require("style-video")
    paths = {"video": studio.upload(body.video, ("video",))["path"],
             "style": _style_source(studio, body.style), "model": _fast_style(studio, body)}
    return studio.submit("style.video", style.prepare(body, paths))
