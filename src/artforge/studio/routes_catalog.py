"""Routes that read the catalog and the studio's state: features, models, the gallery of works
(with provenance, remix settings, files, deletion) and the built-in paintings."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from artforge import __version__, media
from artforge.studio import features, gallery, models
from artforge.studio.limits import Id, OneOf
from artforge.studio.problems import Problem
from artforge.studio.routes_jobs import send_file
from artforge.studio.service import StudioDep

router = APIRouter(prefix="/api")


@router.get("/status", tags=["studio"])
def status(studio: StudioDep) -> dict[str, Any]:
    """Version, the media, which features this installation offers (and why not), limits."""
    settings = studio.settings
    return {"version": __version__, "home": str(settings.home),
            "media": [{"name": m.name, "label": m.label,
                       "features": [f.name for f in m.features]} for m in media.MEDIA],
            "features": features.availability(),
            "limits": {"max_upload_mb": settings.max_upload_mb,
                       "max_unpacked_mb": settings.max_unpacked_mb,
                       "max_megapixels": settings.max_pixels / 1e6},
            **_training(), "workers": studio.pool.pids()}


def _training() -> dict[str, Any]:
    """What each tab that trains learns from: `builtin_data` {tab: [builtin:NAME...]}, and
    `training` {tab: {label, noun, datasets: [{name, label}], uploads}} (the page's names)."""
    trained = [feature for feature in media.features() if feature.training]
    return {"builtin_data": {f.name: [name for name, _ in f.training.datasets] for f in trained},
            "training": {f.name: {"label": f.training.label, "noun": f.noun or f.name,
                                  "datasets": [{"name": name, "label": label}
                                               for name, label in f.training.datasets],
                                  "uploads": list(f.training.uploads)} for f in trained}}


@router.get("/models", tags=["studio"])
def list_models(studio: StudioDep,
                medium: Annotated[str | None, Query(max_length=64),
                                  OneOf(models.model_tabs)] = None
                ) -> list[dict[str, Any]]:
    """Saved models to create with, newest first (trained here or on the command line)."""
    with studio.db() as conn:
        return models.list_models(conn, studio.settings.jobs_dir, medium)


@router.get("/works", tags=["gallery"])
def list_works(studio: StudioDep, medium: Annotated[str | None, Query(max_length=80)] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 60) -> list[dict[str, Any]]:
    """Every catalogued work, newest first, with its provenance and remix settings; `medium`
    keeps one medium or a comma-separated few (text, music, image, style, video...)."""
    media = {m.strip() for m in medium.split(",") if m.strip()} if medium else None
    with studio.db() as conn:
        return gallery.list_gallery(conn, studio.settings.home, media, limit)


@router.get("/works/{work_id}", tags=["gallery"])
def get_work(work_id: Id, studio: StudioDep) -> dict[str, Any]:
    with studio.db() as conn:
        return gallery.get_described(conn, studio.settings.home, work_id)


@router.get("/works/{work_id}/file", tags=["gallery"])
def work_file(work_id: Id, studio: StudioDep, download: bool = False) -> FileResponse:
    """The work's file; only files inside the artforge home are served."""
    with studio.db() as conn:
        path = gallery.work_file(conn, studio.settings.home, work_id)
    return send_file(path, studio.settings.home, download)


@router.delete("/works/{work_id}", tags=["gallery"])
def delete_work(work_id: Id, studio: StudioDep) -> dict[str, Any]:
    """Remove a work from the catalog; files the studio made are deleted, others kept."""
    with studio.db() as conn:
        return gallery.delete_work(conn, studio.settings.home, studio.settings.studio_dir,
                                   work_id)


@router.get("/paintings", tags=["studio"])
def paintings() -> list[str]:
    """The built-in public-domain paintings (style sources)."""
    from artforge.data.images import builtin_paintings

    return builtin_paintings()


@router.get("/paintings/{name}", tags=["studio"])
def painting(name: str) -> FileResponse:
    from artforge.data.images import builtin_paintings, paintings_dir

    if name not in builtin_paintings():
        raise Problem(404, f"there is no built-in painting {name!r}.")
    return FileResponse(paintings_dir() / f"{name}.jpg", media_type="image/jpeg")
