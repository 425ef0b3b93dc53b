"""The studio's FastAPI application: the REST API (documented at /openapi.json and the offline
/api-docs page, where /docs leads), the static page, and the worker pool that lives as long
as the app."""

import contextlib
import math
import secrets
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from artforge import __version__
from artforge.errors import UserError
from artforge.studio import features, routes_catalog, routes_create, routes_jobs
from artforge.studio.guard import TOKEN_COOKIE, Guard
from artforge.studio.problems import Problem
from artforge.studio.service import Studio
from artforge.studio.settings import StudioSettings

STATIC = Path(__file__).parent / "static"


def _error(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _field_errors(exc: RequestValidationError) -> JSONResponse:
    """Pydantic's list of problems as one sentence (the page shows it) plus the details."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg"))
    return _error(422, "; ".join(parts) + ".", details=jsonable(exc.errors()))


def jsonable(errors: object) -> object:
    """Validation errors as JSON can say them: exceptions and bytes as text, and the NaN or
    infinite numbers a request may have sent (JSON has none) as their names."""
    from fastapi.encoders import jsonable_encoder

    def finite(value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if isinstance(value, list):
            return [finite(item) for item in value]
        if isinstance(value, dict):
            return {key: finite(item) for key, item in value.items()}
        return value

    return finite(jsonable_encoder(errors, custom_encoder={Exception: str,
                                                           bytes: lambda b: "<bytes>"}))


def _handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, lambda r, e: _error(e.status, e.message))
    app.add_exception_handler(UserError, lambda r, e: _error(400, str(e)))
    app.add_exception_handler(RequestValidationError, lambda r, e: _field_errors(e))
    app.add_exception_handler(HTTPException, lambda r, e: _error(e.status_code, str(e.detail)))


def create_app(settings: StudioSettings, *, start_workers: bool = True) -> FastAPI:
    """The app for `settings`; `start_workers=False` (tests of the API alone) queues jobs that
    nothing runs."""
    studio = Studio(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.studio_dir.mkdir(parents=True, exist_ok=True)
        if start_workers:
            studio.pool.start()
            # Checking the features imports every medium (seconds): do it before the page asks.
            threading.Thread(target=features.availability, name="features", daemon=True).start()
        try:
            yield
        finally:
            if start_workers:
                studio.pool.stop()

    # /docs would load Swagger UI from a CDN, which an offline machine cannot reach: it points
    # to the studio's own /api-docs page instead.
    app = FastAPI(title="artforge studio", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Make art with artforge's models from a web page: co-write "
                              "text, continue melodies, draw GAN pictures, transfer styles, "
                              "train on your own files. Requests that change something need "
                              "the header `X-Artforge: 1`.")
    app.state.studio = studio
    _handlers(app)
    for module in (routes_create, routes_jobs, routes_catalog):
        app.include_router(module.router)
    app.add_middleware(Guard, settings=settings)
    if settings.allow_origins:  # outside the guard, so that it answers preflight requests
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.allow_origins),
                           allow_methods=["*"], allow_headers=["*"])
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index(request: Request) -> Response:
        page = FileResponse(STATIC / "index.html", media_type="text/html")
        given = request.query_params.get("token")
        if settings.token and given and secrets.compare_digest(given.encode(),
                                                              settings.token.encode()):
            page.set_cookie(TOKEN_COOKIE, settings.token, httponly=True, samesite="strict")
        return page

    @app.get("/docs", include_in_schema=False)
    def docs() -> RedirectResponse:
        return RedirectResponse("/api-docs")

    @app.get("/api-docs", include_in_schema=False)
    def api_docs() -> FileResponse:
        return FileResponse(STATIC / "api.html", media_type="text/html")

    return app
