"""The `image pix2pix translate` task: line art in, painting out, at any size.

Every PNG carries its provenance and gets a catalog row; `artforge catalog reproduce` makes
it again from the row (pipeline "pix2pix.translate").
"""

import dataclasses
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from artforge.core import checkpoint
from artforge.core.registry import PIPELINES
from artforge.errors import UserError
from artforge.image.medium import builtin_params
from artforge.image.pix2pix.engine import Engine, make_engine, resolve_engine
from artforge.image.pix2pix.hints import read_hint_pixels, resize_hints
from artforge.image.pix2pix.model import TranslationModel
from artforge.image.pix2pix.pairs import shrink_line_art, working_side
from artforge.image.pix2pix.tiles import translate_tensor
from artforge.image.sketch.methods import MIN_SIDE

TRANSLATE_PIPELINE = "pix2pix.translate"
DEFAULT_TILE, OVERLAP = 512, 64
MAX_SIDE = 8192
INK_CONTRAST = 16
"""Grey levels between a sketch's lightest pixels and its darkest: less, and it holds no line."""


@dataclasses.dataclass
class Translator:
    """A loaded model and the engine that runs its generator."""

    model: TranslationModel
    folder: Path
    engine_name: str
    engine: Engine
    model_hash: str

    @property
    def training_side(self) -> int:
        """The shorter side of the pictures the model learnt from (crops were cut from them)."""
        return working_side(self.model.config.size)

    def translate(self, sketch: np.ndarray, tile: int = DEFAULT_TILE, side: int | None = None,
                  hints: np.ndarray | None = None) -> np.ndarray:
        """RGB uint8 (H, W, 3) from line art: uint8 (H, W) grey or (H, W, 3) RGB.

        A sketch whose shorter side is above `side` (default: the training scale; 0: never)
        is painted shrunk to it, lines kept dark, and the painting enlarged back: a model
        paints well only at the scale of the line art it learnt from. `hints`, for a model
        trained with them: a picture of the sketch's size whose opaque (or, without
        transparency, non-white) pixels are colours to paint there (hints.read_hint_pixels)."""
        channels = self.model.config.input_nc
        picture = Image.fromarray(sketch).convert("L" if channels == 1 else "RGB")
        full = picture.size
        hint_channels = self._hint_channels(hints, full)
        side = self.training_side if side is None else side
        if side and min(full) > side:
            scale = side / min(full)
            picture = shrink_line_art(picture, (max(1, round(full[0] * scale)),
                                                max(1, round(full[1] * scale))))
        if hint_channels is not None:
            hint_channels = resize_hints(hint_channels, (picture.height, picture.width))
        rgb = self._paint(picture, tile, hint_channels)
        if picture.size != full:
            rgb = np.asarray(Image.fromarray(rgb, "RGB").resize(full, Image.Resampling.LANCZOS))
        return rgb

    def _hint_channels(self, hints: np.ndarray | None, size: tuple[int, int]
                        ) -> torch.Tensor | None:
        """Hint channels at the sketch's size, or None for a bare sketch."""
        if hints is None:
            return None
        if not self.model.config.hints:
            raise UserError(f"{self.folder} was trained without colour hints (before they "
                            "existed, or with --no-hints); train a new model to paint with "
                            "them.")
        if (hints.shape[1], hints.shape[0]) != size:
            raise UserError(f"the hints are {hints.shape[1]}x{hints.shape[0]} pixels but the "
                            f"sketch is {size[0]}x{size[1]}; they must be the same size.")
        return read_hint_pixels(hints)

    def _paint(self, picture: Image.Image, tile: int, hints: torch.Tensor | None = None
               ) -> np.ndarray:
        channels = self.model.config.input_nc
        x = torch.from_numpy(np.array(picture)).float().div(127.5).sub(1.0)
        x = x[None, None] if channels == 1 else x.permute(2, 0, 1)[None]
        x = self.model.condition(x, hints)
        y = translate_tensor(self.engine, x, self.model.multiple, tile, OVERLAP, channels)
        rgb = ((y[0].clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
        rgb = rgb.expand(3, -1, -1) if rgb.shape[0] == 1 else rgb
        return rgb.permute(1, 2, 0).numpy()


def painting_model_folder(spec: str | Path) -> Path:
    """The folder `spec` names: a shipped model (builtin:sketch-painting) or a path."""
    from artforge.data.shipped_models import model_folder
    from artforge.image.medium import MEDIUM

    return model_folder(spec, MEDIUM.shipped, "painting")


def load_translator(model_path: str | Path, device: str = "cpu", engine: str = "auto"
                    ) -> Translator:
    """A pix2pix / pix2pixhd model folder (or run folder, or a shipped model) ready to
    translate."""
    from artforge.core.device import pick_device

    folder = checkpoint.resolve(painting_model_folder(model_path))
    header = checkpoint.read_header(folder)
    from artforge.image.pix2pix.architectures import KINDS

    if header["kind"] not in KINDS:
        raise UserError(f"{folder} holds a {header['kind']!r} model, not a pix2pix one.")
    target = pick_device(device)
    name = resolve_engine(engine, target)
    model = checkpoint.load(folder, device=target)
    model_hash = checkpoint.folder_hash(folder)
    run = make_engine(model.generator, model.config.condition_channels, name, target, model_hash)
    return Translator(model, folder, name, run, model_hash)


def read_sketch(path: Path, coloured: bool = False) -> np.ndarray:
    """RGB uint8 array of a sketch file, its transparent parts white, or a UserError saying
    why it cannot be one (too small or large, checked before its pixels are decoded; all dark;
    blank, unless it is `coloured` by hints, which then paint alone)."""
    from PIL import UnidentifiedImageError

    from artforge.data.images import load_rgb
    from artforge.data.pictures import open_picture

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # sized below
            with Image.open(path) as header:
                width, height = header.size
    except (UnidentifiedImageError, OSError):
        width, height = load_rgb(str(path)).size  # says why it cannot be read
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
        raise UserError(f"{path} is {width}x{height} pixels; a sketch needs "
                        f"{MIN_SIDE} to {MAX_SIDE} pixels on each side.")
    picture = np.asarray(open_picture(path, max_side=None))  # transparent parts on white
    grey = picture.mean(axis=2)
    if np.percentile(grey, 99.5) - grey.min() < INK_CONTRAST and not (
            coloured and grey.mean() >= 128):
        ground = "blank" if grey.mean() >= 128 else "all dark"
        raise UserError(f"{path} is {ground}: a sketch needs dark lines on a light ground.")
    return picture


def read_hints(path: Path) -> np.ndarray:
    """A hint picture as uint8 (H, W, 4) when it has transparency, else (H, W, 3)."""
    from PIL import UnidentifiedImageError

    if not Path(path).is_file():
        raise UserError(f"hints {path} does not exist.")
    try:
        with Image.open(path) as img:
            transparent = "A" in img.getbands() or "transparency" in img.info
            picture = img.convert("RGBA" if transparent else "RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise UserError(f"{path} is not a readable image ({exc.__class__.__name__}).") from None
    return np.asarray(picture)


DEFAULT_DABS = 40


def hint_picture(params: dict[str, Any], size: tuple[int, int]) -> np.ndarray | None:
    """The hint picture a translation's params name, for a sketch of `size` (width, height):
    a file ("hints"), or `dabs` dabs of a picture's colours ("hints_from", resized to the
    sketch), or None."""
    if params.get("hints") is not None:
        return read_hints(Path(params["hints"]))
    if params.get("hints_from") is None:
        return None
    from artforge.data.pictures import open_picture
    from artforge.image.pix2pix.hints import dabs_from_picture

    picture = open_picture(params["hints_from"]).resize(size, Image.Resampling.LANCZOS)
    return dabs_from_picture(np.asarray(picture), params["dabs"], params["hint_seed"])


def _jobs(source: Path, out: Path) -> list[tuple[Path, Path]]:
    """(sketch, output PNG) pairs: one file, or every picture of a folder into a folder."""
    from artforge.data.image_folders import scan_folder

    if source.is_dir():
        files, _ = scan_folder(source)
        if not files:
            raise UserError(f"{source} has no images (jpg, png, webp or bmp).")
        if out.suffix:
            raise UserError(f"--out must be a folder when --in is a folder, not {out}.")
        return [(f, out / f.relative_to(source).with_suffix(".png")) for f in files]
    if not source.is_file():
        raise UserError(f"sketch {source} does not exist.")
    if out.suffix.lower() != ".png":
        raise UserError(f"--out must be a .png file for one sketch, not {out.name}.")
    return [(source, out)]


def translate(model_path: Path, source: Path, out: Path, *, tile: int = DEFAULT_TILE,
              side: int | None = None, device: str = "cpu", engine: str = "auto",
              hints: Path | None = None, hints_from: str | None = None,
              dabs: int = DEFAULT_DABS, hint_seed: int = 0, catalog: bool = True,
              translator: Translator | None = None) -> list[Path]:
    """Paint every sketch at `source` (a file or a folder) into `out` (a PNG or a folder),
    each at `side` (see Translator.translate). One sketch can be given colour hints: a
    `hints` picture, or `dabs` dabs of the colours of picture `hints_from` (a file or
    builtin:NAME) at seeded places. `translator`: the model at `model_path` already loaded
    (the studio keeps it between jobs); `device` and `engine` are then its own."""
    # 1. Check inputs: every sketch is read before anything is written.
    if tile < 64:
        raise UserError(f"--tile must be at least 64 pixels, not {tile}.")
    if side is not None and side != 0 and side < MIN_SIDE:
        raise UserError(f"--side must be 0 (the sketch's own size) or at least {MIN_SIDE} "
                        f"pixels, not {side}.")
    jobs = _jobs(Path(source), Path(out))
    hinting = {}
    if hints is not None and hints_from is not None:
        raise UserError("give --hints or --hints-from, not both.")
    if hints is not None:
        hinting = {"hints": str(hints)}
    elif hints_from is not None:
        if dabs < 1:
            raise UserError(f"--dabs must be at least 1, not {dabs}.")
        hinting = {"hints_from": str(hints_from), "dabs": dabs, "hint_seed": hint_seed}
    if hinting and Path(source).is_dir():
        raise UserError("colour hints go with one sketch; give --in a sketch file, not a "
                        "folder.")
    sketches = [read_sketch(path, coloured=bool(hinting)) for path, _ in jobs]
    size = (sketches[0].shape[1], sketches[0].shape[0])
    colours = hint_picture(hinting, size)  # read (or dabbed) once, for the one sketch
    # 2. Load the model and its engine, unless the caller has.
    translator = translator or load_translator(model_path, device, engine)
    # 3. Translate, save with provenance, catalogue.
    side = translator.training_side if side is None else side
    written = []
    for (path, target), sketch in zip(jobs, sketches, strict=True):
        params = {"source": str(path), "tile": tile, "side": side,
                  "engine": translator.engine_name}
        params.update(hinting)
        params.update(builtin_params(model_path))  # found again by name on any install
        _save(translator, sketch, params, target, colours)
        if catalog:
            from artforge.catalog import records
            from artforge.core.card import invoking_command

            records.record_work("image", TRANSLATE_PIPELINE, params, None, target,
                                model_path=translator.folder, command=invoking_command())
        written.append(target)
    return written


def _save(translator: Translator, sketch: np.ndarray, params: dict[str, Any], out: Path,
          colours: np.ndarray | None) -> None:
    """Paint and write one sketch; the hints are checked against the model and the sketch
    (Translator._hint_channels) before anything is written."""
    from artforge.catalog.provenance import save_png
    from artforge.core.versions import package_versions

    # Works made before the side option were painted at the sketch's own size.
    painted = translator.translate(sketch, params["tile"], params.get("side", 0), colours)
    picture = Image.fromarray(painted, "RGB")
    provenance = {"pipeline": TRANSLATE_PIPELINE, "params": params,
                  "model": str(translator.folder), "model_hash": translator.model_hash,
                  "versions": package_versions()}
    save_png(picture, out, provenance)


@PIPELINES.register(TRANSLATE_PIPELINE)
def reproduce_translation(params: dict[str, Any], seed: int | None, model_path: str | None,
                          out: Path) -> Path:
    model_path = params.get("builtin_model", model_path)
    if model_path is None:
        raise UserError("this work has no model folder recorded, so it cannot be reproduced.")
    translator = load_translator(model_path, "cpu", params["engine"])
    sketch = read_sketch(Path(params["source"]), coloured=params.get("hints") is not None
                         or params.get("hints_from") is not None)
    colours = hint_picture(params, (sketch.shape[1], sketch.shape[0]))
    _save(translator, sketch, params, Path(out), colours)
    return Path(out)
