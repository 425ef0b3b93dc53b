"""Training on the user's own files (an uploaded zip or text file) or a built-in set, with the
loss followed live and a preview of what the model makes at the end.

The run folder is the job's `run/`; cancelling saves a checkpoint there, and resuming the job
continues from it (the Trainer's own resume).
"""

import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from artforge.studio.context import JobContext
from artforge.studio.limits import STRICT
from artforge.studio.models import RUN_DIR

MEDIA = ("text", "music", "gan", "sketch", "melody", "band")
BUILTIN_DATA = {
    "text": ("builtin:shakespeare", "builtin:english-poetry", "builtin:tang/wuyan",
             "builtin:tang/qiyan"),
    "music": ("builtin:bach", "builtin:folk"),
    "gan": ("builtin:abstract", "builtin:paintings", "builtin:digits"),
    "sketch": ("builtin:paintings",),
    "melody": ("builtin:bach", "builtin:folk"),
    "band": ("builtin:bach",),
}
UPLOAD_KINDS = {"text": ("zip", "text"), "music": ("zip", "midi"), "gan": ("zip",),
                "sketch": ("zip",), "melody": ("zip", "midi"), "band": ("zip", "midi")}
SIZES = ("test", "small", "medium", "large")
"""test: seconds, learns almost nothing (to try the page); small: CPU minutes; medium: CPU
hours; large: a GPU."""


class TrainRequest(BaseModel):
    """Train a model on an upload (a zip of files, or one text file) or a built-in set."""

    model_config = STRICT
    medium: Literal[MEDIA] = Field(description="What the model will make: text, music, gan "
                                                "(pictures), sketch (paintings from line "
                                                "art), melody (blends) or band.")
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


def _train_config(medium: str, request: dict[str, Any], save_every: int) -> Any:
    """Each medium's recipe (as the command line trains it), sized by the request."""
    steps = request["steps"]
    common = {"steps": steps, "minutes": request["minutes"], "seed": request["seed"],
              "save_every": save_every, "batch_size": 8 if request["size"] == "test" else 32,
              "log_every": max(1, min(10, steps // 40))}  # a short run still draws a curve
    if medium == "gan":
        from artforge.image.gan.train import gan_train_config

        return gan_train_config(**common)
    if medium == "sketch":
        from artforge.image.pix2pix.train import pix2pix_train_config

        return pix2pix_train_config(**{**common, "batch_size": 4})
    if medium == "text":
        from artforge.text.recipes import text_train_config

        return text_train_config(**common)
    from artforge.music import recipes

    return {"music": recipes.music_train_config, "melody": recipes.melody_train_config,
            "band": recipes.band_train_config}[medium](**common)


def _fit_text(data: str, run: Path, config: Any, size: str, resume: bool,
              context: JobContext) -> Any:
    from artforge.text.pipeline import TextTrainOptions, train_text

    preset, block = {"test": ("tiny", 32), "small": ("tiny", None), "medium": ("small", None),
                     "large": ("base", None)}[size]
    return train_text(data, run, config, TextTrainOptions(preset=preset, block_size=block),
                      resume=resume, report=lambda line: context.progress(None, line))


def _fit_music(data: str, run: Path, config: Any, size: str, resume: bool,
               context: JobContext) -> Any:
    from artforge.music.model import MusicConfig
    from artforge.music.train import train_music

    shape = {"test": dict(embed=16, hidden=32, layers=1, context=64),
             "small": dict(hidden=128, layers=2, context=128), "medium": {},
             "large": dict(hidden=512, layers=3, context=512)}[size]
    return train_music(data, run, config, model_config=MusicConfig(**shape),
                       resume=resume).result


def _fit_gan(data: str, run: Path, config: Any, size: str, resume: bool,
             context: JobContext) -> Any:
    from artforge.image.gan.model import GANConfig
    from artforge.image.gan.train import train_gan

    shape = {"test": dict(size=16, channels=8, z_dim=32), "small": dict(size=32),
             "medium": dict(size=64), "large": dict(size=128)}[size]
    return train_gan(data, run, config, "dcgan", GANConfig(**shape), resume=resume)


def _fit_sketch(data: str, run: Path, config: Any, size: str, resume: bool,
                context: JobContext) -> Any:
    from artforge.image.pix2pix.architectures import Pix2PixConfig
    from artforge.image.pix2pix.train import train_pix2pix

    shape = {"test": dict(size=32, ngf=8, ndf=8), "small": dict(size=128),
             "medium": dict(size=256), "large": dict(size=256, ngf=64, ndf=64)}[size]
    return train_pix2pix(data, run, config, "pix2pix", Pix2PixConfig(**shape), resume=resume)


def _fit_melody(data: str, run: Path, config: Any, size: str, resume: bool,
                context: JobContext) -> Any:
    from artforge.music.vae.model import MelodyVAEConfig
    from artforge.music.vae.train import train_vae

    shape = {"test": dict(latent=8, embed=8, encoder_hidden=16, conductor_hidden=16,
                          decoder_hidden=16), "small": {},
             "medium": dict(encoder_hidden=512, conductor_hidden=512, decoder_hidden=512),
             "large": dict(latent=256, encoder_hidden=1024, conductor_hidden=1024,
                           decoder_hidden=1024, decoder_layers=2)}[size]
    return train_vae(data, run, config, model_config=MelodyVAEConfig(**shape),
                     resume=resume).result


def _fit_band(data: str, run: Path, config: Any, size: str, resume: bool,
              context: JobContext) -> Any:
    from artforge.music.band.model import TransformerBandConfig
    from artforge.music.band.train import train_band

    shape = {"test": dict(width=16, layers=1, heads=2), "small": {},
             "medium": dict(width=192, layers=4), "large": dict(width=256, layers=6)}[size]
    return train_band(data, run, config, model_config=TransformerBandConfig(**shape),
                      resume=resume).result


TRAINERS = {"text": _fit_text, "music": _fit_music, "gan": _fit_gan, "sketch": _fit_sketch,
            "melody": _fit_melody, "band": _fit_band}


def train(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.core.checkpoint import latest_checkpoint
    from artforge.core.metrics_log import MetricsLog

    request = params["request"]
    medium, run = request["medium"], context.out / RUN_DIR
    config = _train_config(medium, request, params["save_every"])
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
        result = TRAINERS[medium](params["data"], run, config, request["size"], resume, context)
    context.progress(None, "making a preview…")
    previews = _preview(medium, result.checkpoint, context.out, request["seed"])
    why = {"steps": "all steps done", "minutes": "time budget spent", "signal": "stopped"}
    return {"checkpoint": str(result.checkpoint), "step": result.step,
            "stopped_by": result.stopped_by, "metrics": result.metrics, "previews": previews,
            "summary": f"trained to step {result.step} ({why[result.stopped_by]})"}


def _preview(medium: str, checkpoint: Path, out: Path, seed: int) -> list[str]:
    """What the new model makes (text and music); a GAN's grids are written while it trains."""
    if medium == "text":
        from artforge.core.atomic import write_text
        from artforge.text.generate import GenerationConfig
        from artforge.text.pipeline import generate_text

        made = generate_text(checkpoint, "", GenerationConfig(max_new_tokens=200, seed=seed))
        write_text(out / "preview.txt", made.texts[0])
        return ["preview.txt"]
    if medium == "music":
        from artforge.music.pipeline import generate_music

        generate_music(checkpoint, out / "preview.mid", bars=4, seed=seed, wav=True, png=True,
                       catalog=False)
        return ["preview.png", "preview.wav"]
    return []


def metrics(job_dir: Path, after_step: int = -1) -> list[dict[str, Any]]:
    """The run's logged losses past `after_step` (the page's live plot)."""
    from artforge.core.metrics_log import MetricsLog

    return [r for r in MetricsLog(job_dir / RUN_DIR).read() if r.get("step", 0) > after_step]


def samples(job_dir: Path) -> list[str]:
    """A GAN run's sample grids, oldest first."""
    folder = job_dir / RUN_DIR / "samples"
    return sorted(p.name for p in folder.glob("step-*.png")) if folder.is_dir() else []
