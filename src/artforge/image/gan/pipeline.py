"""Sampling tasks on a trained GAN: grids, single images, latent walks and style mixing.

Every PNG carries its provenance and every work gets a catalog row; `reproduce_*` re-create a
work from its row (`artforge catalog reproduce ID`).
"""

from pathlib import Path
from typing import Any

from artforge.core import checkpoint
from artforge.core.card import invoking_command
from artforge.core.registry import PIPELINES
from artforge.core.versions import package_versions
from artforge.errors import UserError
from artforge.image.gan.model import GANModel
from artforge.image.medium import builtin_params

SAMPLE_PIPELINE = "gan.sample"
WALK_PIPELINE = "gan.interpolate"
MIX_PIPELINE = "gan.mix"
WALK_FORMATS = (".gif", ".mp4")


def gan_model_folder(spec: str | Path) -> Path:
    """The folder `spec` names: a shipped GAN (builtin:NAME) or a path."""
    from artforge.data.shipped_models import model_folder
    from artforge.image.medium import MEDIUM

    return model_folder(spec, MEDIUM.shipped, "GAN")


def load_gan(model_path: str | Path, device: str = "cpu") -> tuple[GANModel, Path]:
    """The GAN saved in a run or model folder (or a shipped one), ready to sample (batch-norm
    statistics refreshed for its averaged weights, see GANModel.refresh_batch_norm)."""
    from artforge.core.device import pick_device

    folder = checkpoint.resolve(gan_model_folder(model_path))
    model = checkpoint.load(folder, device=pick_device(device))
    if not isinstance(model, GANModel):
        raise UserError(f"{folder} holds a {model.kind!r} model, not a GAN.")
    model.refresh_batch_norm()
    return model, folder


def _check_truncation(truncation: float) -> None:
    if not 0.0 <= truncation <= 1.0:
        raise UserError(f"--truncation must be between 0 and 1, not {truncation}.")


def _provenance(pipeline: str, params: dict[str, Any], seed: int, folder: Path) -> dict:
    return {"pipeline": pipeline, "params": params, "seed": seed, "model": str(folder),
            "model_hash": checkpoint.folder_hash(folder), "versions": package_versions()}


def _catalog(pipeline: str, params: dict[str, Any], seed: int, out: Path, folder: Path) -> None:
    from artforge.catalog import records

    records.record_work("image", pipeline, params, seed, out, model_path=folder,
                        command=invoking_command())


def sample_gan(model_path: Path, out: Path, *, n: int = 16, seed: int = 0,
               truncation: float = 1.0, device: str = "cpu", catalog: bool = True) -> Path:
    """A grid of `n` samples (n=1: a single image) at `seed`, as a PNG with provenance."""
    # 1. Check inputs and load the (EMA) generator.
    if not 1 <= n <= 1024:
        raise UserError(f"--n must be between 1 and 1024, not {n}.")
    _check_truncation(truncation)
    model, folder = load_gan(model_path, device)
    # 2. Draw, save with provenance, catalogue.
    params = {"n": n, "truncation": truncation, **builtin_params(model_path)}
    _write_sample(model, Path(out), params, seed, folder)
    if catalog:
        _catalog(SAMPLE_PIPELINE, params, seed, Path(out), folder)
    return Path(out)


def _write_sample(model: GANModel, out: Path, params: dict[str, Any], seed: int,
                  folder: Path) -> None:
    from artforge.catalog.provenance import save_png
    from artforge.image.gan.sampling import sample_grid

    picture = sample_grid(model, params["n"], seed, params["truncation"])
    save_png(picture, out, _provenance(SAMPLE_PIPELINE, params, seed, folder))


def interpolate_gan(model_path: Path, out: Path, *, seed: int = 0, keyframes: int = 4,
                    frames_between: int = 12, fps: int = 12, truncation: float = 1.0,
                    device: str = "cpu", catalog: bool = True) -> Path:
    """A looping walk through `keyframes` seeded latents, as a GIF or an MP4."""
    # 1. Check inputs.
    out = Path(out)
    if out.suffix.lower() not in WALK_FORMATS:
        raise UserError(f"--out must end in .gif or .mp4 for --interpolate, not {out.name}.")
    if not (2 <= keyframes <= 64 and 1 <= frames_between <= 120 and 1 <= fps <= 60):
        raise UserError("keyframes must be 2-64, frames between them 1-120 and fps 1-60.")
    _check_truncation(truncation)
    model, folder = load_gan(model_path, device)
    # 2. Walk, encode, catalogue.
    params = {"keyframes": keyframes, "frames_between": frames_between, "fps": fps,
              "truncation": truncation, **builtin_params(model_path)}
    _write_walk(model, out, params, seed, folder)
    if catalog:
        _catalog(WALK_PIPELINE, params, seed, out, folder)
    return out


def _write_walk(model: GANModel, out: Path, params: dict[str, Any], seed: int,
                folder: Path) -> None:
    """GIF and MP4 carry no provenance chunk; the catalog row has it."""
    import imageio.v3 as iio

    from artforge.core.atomic import write_bytes
    from artforge.image.gan.sampling import latent_walk

    frames = latent_walk(model, seed, params["keyframes"], params["frames_between"],
                         params["truncation"])
    if out.suffix.lower() == ".gif":
        data = iio.imwrite("<bytes>", frames, extension=".gif",
                           duration=1000 / params["fps"], loop=0)
    else:
        data = iio.imwrite("<bytes>", frames, extension=".mp4", fps=params["fps"],
                           macro_block_size=1)
    write_bytes(out, data)


def mix_gan(model_path: Path, out: Path, *, seed: int = 0, n: int = 4, crossover: int = 2,
            truncation: float = 1.0, device: str = "cpu", catalog: bool = True) -> Path:
    """StyleGAN style mixing: a (n+1)x(n+1) sheet, coarse styles from the top row's sources,
    fine styles from the left column's, mixed in the cells."""
    _check_truncation(truncation)
    if not 1 <= n <= 16:
        raise UserError(f"--n must be between 1 and 16 for style mixing, not {n}.")
    model, folder = load_gan(model_path, device)
    if not hasattr(model, "mixing_sheet"):
        raise UserError(f"style mixing needs a stylegan or stylegan-lite model; {model_path} "
                        f"is a {model.kind}.")
    params = {"n": n, "crossover": crossover, "truncation": truncation,
              **builtin_params(model_path)}
    _write_mix(model, Path(out), params, seed, folder)
    if catalog:
        _catalog(MIX_PIPELINE, params, seed, Path(out), folder)
    return Path(out)


def _write_mix(model: GANModel, out: Path, params: dict[str, Any], seed: int,
               folder: Path) -> None:
    from artforge.catalog.provenance import save_png

    picture = model.mixing_sheet(params["n"], seed, params["crossover"], params["truncation"])
    save_png(picture, out, _provenance(MIX_PIPELINE, params, seed, folder))


def _reproducer(write):
    def reproduce(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
        model_path = params.get("builtin_model") or model_path
        if model_path is None:
            raise UserError("this work has no model folder recorded, so it cannot be reproduced.")
        model, folder = load_gan(model_path)
        write(model, Path(out), params, seed, folder)
        return Path(out)

    return reproduce


PIPELINES.register(SAMPLE_PIPELINE)(_reproducer(_write_sample))
PIPELINES.register(WALK_PIPELINE)(_reproducer(_write_walk))
PIPELINES.register(MIX_PIPELINE)(_reproducer(_write_mix))
