"""Training on the user's own files (an uploaded zip or text file) or a built-in set, with the
loss followed live and a preview of what the model makes at the end.

The run folder is the job's `run/`; cancelling saves a checkpoint there, and resuming the job
continues from it (the Trainer's own resume).
"""

import time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from artforge import media
from artforge.core.medium import SIZES, Training
from artforge.studio.context import JobContext
from artforge.studio.limits import STRICT, OneOf
from artforge.studio.models import RUN_DIR


def tabs() -> dict[str, Training]:
    """The tabs a model can be trained for (each a feature of a medium), by name, in the
    media's order: read at call time, so that a medium added to the list is among them."""
    return {feature.name: feature.training for feature in media.features() if feature.training}


class TrainRequest(BaseModel):
    """Train a model on an upload (a zip of files, or one text file) or a built-in set."""

    model_config = STRICT
    medium: Annotated[str, OneOf(tabs)] = Field(
        max_length=64, description="What the model will make: a tab that trains (`training` "
                                   "in /api/status): text, music, gan (pictures), sketch "
                                   "(paintings from line art), melody (blends) or band.")
    data: str = Field(max_length=64, description="An upload's id, or builtin:NAME.")
    name: str = Field("", max_length=80, description="A name for the model.")
    size: Literal[SIZES] = Field("small", description="test, small, medium or large.")
    minutes: float | None = Field(10.0, gt=0, le=7 * 24 * 60, description="Time budget.")
    steps: int = Field(5000, ge=1, le=10_000_000, description="Optimizer steps at most.")
    save_every: int | None = Field(None, ge=1, le=1_000_000,
                                   description="Checkpoint every N steps (default: a tenth).")
    seed: int = Field(0, ge=0, le=2**31 - 1)


def prepare(request: TrainRequest, data_path: str) -> dict[str, Any]:
    save_every = request.save_every or max(1, min(200, request.steps // 10))
    return {"request": request.model_dump(), "name": request.name.strip(),
            "data": data_path, "save_every": save_every}


def _train_config(recipe: Training, request: dict[str, Any], save_every: int) -> Any:
    """The tab's recipe (as the command line trains it), sized by the request."""
    steps = request["steps"]
    return recipe.config(steps=steps, minutes=request["minutes"], seed=request["seed"],
                         save_every=save_every,
                         batch_size=8 if request["size"] == "test" else 32,
                         log_every=max(1, min(10, steps // 40)))  # a short run draws a curve


def train(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.core.checkpoint import latest_checkpoint
    from artforge.core.metrics_log import MetricsLog

    request = params["request"]
    recipe, run = tabs()[request["medium"]], context.out / RUN_DIR
    config = _train_config(recipe, request, params["save_every"])
    resume = context.resume and latest_checkpoint(run) is not None
    log, started = MetricsLog(run), time.monotonic()

    def read() -> tuple[float, str] | None:
        records = [r for r in log.read() if "loss" in r]
        if not records:
            return None
        step, loss = records[-1]["step"], records[-1]["loss"]
        done = step / config.steps
        if config.minutes:
            done = max(done, (time.monotonic() - started) / 60 / config.minutes)
        return done, f"step {step} of {config.steps} · loss {loss:.3f}"

    context.progress(0.0, "reading the data…" if not resume else "resuming…")
    with context.watch(read):
        result = recipe.fit(params["data"], run, config, request["size"], resume=resume,
                            report=lambda line: context.progress(None, line))
    # What the new model makes (a text, a tune); a GAN's grids are written while it trains.
    previews = []
    if recipe.preview is not None:
        context.progress(None, "making a preview…")
        previews = recipe.preview(result.checkpoint, context.out, request["seed"])
    why = {"steps": "all steps done", "minutes": "time budget spent", "signal": "stopped"}
    return {"checkpoint": str(result.checkpoint), "step": result.step,
            "stopped_by": result.stopped_by, "metrics": result.metrics, "previews": previews,
            "summary": f"trained to step {result.step} ({why[result.stopped_by]})"}


def metrics(job_dir: Path, after_step: int = -1) -> list[dict[str, Any]]:
    """The run's logged losses past `after_step` (the page's live plot)."""
    from artforge.core.metrics_log import MetricsLog

    return [r for r in MetricsLog(job_dir / RUN_DIR).read() if r.get("step", 0) > after_step]


def samples(job_dir: Path) -> list[str]:
    """A GAN run's sample grids, oldest first."""
    folder = job_dir / RUN_DIR / "samples"
    return sorted(p.name for p in folder.glob("step-*.png")) if folder.is_dir() else []
