"""Applying a trained style network to pictures: `artforge style stylize`.

A `johnson` model folder stylises with the style it learned; an `adain` or `instant` folder
with any style pictures (`styles`, blended by `style_weights`, strength `alpha`). Pictures keep
their size (capped at `max_side`, with a warning); `preserve_colour="luminance"` keeps the
photo's colours. Two engines paint: PyTorch, or onnxruntime on the CPU with the folder's ONNX
export (exported once into the cache, artforge.style.onnx_cache), which loads no torch; "auto"
takes onnxruntime when the device allows. An exported `.onnx` file goes to the torch-free runner
(artforge.style.onnx_run) instead.
"""

from collections.abc import Callable, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from artforge.core.registry import PIPELINES
from artforge.data.pictures import MAX_SIDE
from artforge.data.shipped_models import builtin_params, model_folder
from artforge.errors import UserError
from artforge.style.medium import MEDIUM
from artforge.style.onnx_run import ANY_STYLE_KINDS
from artforge.style.saved_works import PILLOW_PNG_LEVEL

if TYPE_CHECKING:  # only the PyTorch engine imports torch
    import torch

STYLIZE_PIPELINE = "style.stylize"
ENGINES = ("auto", "torch", "onnx")
PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}
Stylizer = Callable[["torch.Tensor"], "torch.Tensor"]
ONE_PIECE_PIXELS = 1024 * 1024
"""Under engine auto, adain pictures larger than this go to PyTorch: it paints them in tiles
(adain_model.TILE), in about a third of the memory onnxruntime needs for one piece, as fast."""
PNG_LEVEL = 1
"""zlib level of the PNGs written: a 512 px painting in a third to a half of the time Pillow's
default level takes (about 20 against 40-70 ms on 2 cores), for files about 8 % larger."""


class Engine(NamedTuple):
    """A loaded engine ("torch" or "onnx"), the kind of model it runs and the model's folder;
    `paint` turns (H, W, 3) in [0, 1] into the stylised (H, W, 3)."""

    name: str
    kind: str
    folder: Path
    paint: Callable[[np.ndarray], np.ndarray]


def style_model_folder(spec: str | Path) -> Path:
    """The folder `spec` names: a shipped model (builtin:adain, builtin:instant) or a path."""
    return model_folder(spec, MEDIUM.shipped, "style")


def load_style_model(path: str | Path, device: str = "cpu"):
    """The johnson, adain or instant model saved at `path` (a model or run folder, or a
    shipped one), in eval mode."""
    from artforge.core import checkpoint
    from artforge.core.device import pick_device
    from artforge.style.fast_model import FastStyleModel

    folder = checkpoint.resolve(style_model_folder(path))
    model = checkpoint.load(folder, device=pick_device(device))
    if not isinstance(model, FastStyleModel) and model.kind not in ANY_STYLE_KINDS:
        raise UserError(f"{folder} holds a {model.kind!r} model, not a style network (johnson, "
                        "adain or instant).")
    return model, folder


def style_pairs(kind: str, styles: Sequence[str], style_weights: Sequence[float] | None,
                alpha: float) -> list[tuple[str, float]]:
    """(style picture, weight) pairs for a model of `kind`, once the options are checked to
    fit it; none for a johnson model, which paints the style it learned."""
    if not 0.0 <= alpha <= 1.0:
        raise UserError(f"--alpha must be between 0 and 1, not {alpha}.")
    if kind not in ANY_STYLE_KINDS:
        if styles:
            raise UserError(f"a {kind} model paints the one style it learned; --style is for "
                            "adain and instant models.")
        return []
    if not styles:
        raise UserError(f"an {kind} model needs at least one --style picture.")
    from artforge.style.pipeline import parse_styles

    return parse_styles(list(styles), style_weights)


def make_stylizer(model, styles: Sequence[str] = (), style_weights: Sequence[float] | None = None,
                  alpha: float = 1.0) -> Stylizer:
    """A function (1, 3, H, W) -> (1, 3, H, W) in [0, 1] for the model and its options."""
    from artforge.data.pictures import open_picture
    from artforge.style.works import to_tensor

    pairs = style_pairs(model.kind, styles, style_weights, alpha)
    if not pairs:
        return model.stylize
    pictures = [to_tensor(open_picture(spec, what="style picture")) for spec, _ in pairs]
    weights = [w for _, w in pairs]
    encoded = model.square_styles(pictures)
    return lambda frame: model.stylize(frame, list(encoded.split(1)), weights, alpha)


def finish_painting(result: np.ndarray, photo: np.ndarray, keep_colours: bool, mask_picture,
                    mask_name: str | Path | None = None) -> np.ndarray:
    """A painted (H, W, 3) picture with the photo's colours kept if asked (luminance
    transfer) and the photo itself where the mask (a PIL picture, white where the style goes)
    is dark; `mask_name` names it in errors."""
    from artforge.data.pictures import fit_mask
    from artforge.style import colour

    if keep_colours:
        result = colour.with_content_chroma(result, photo)
    if mask_picture is not None:
        region = fit_mask(mask_picture, (photo.shape[1], photo.shape[0]), mask_name)[..., None]
        result = region * result + (1.0 - region) * photo
    return result


def pick_engine(engine: str, device: str = "auto") -> str:
    """"torch" or "onnx" for `engine` (auto, torch or onnx) on `device`: auto is onnxruntime
    when the device is auto or cpu and onnxruntime is installed, else PyTorch (and
    `stylize_images` still gives PyTorch the adain pictures over ONE_PIECE_PIXELS)."""
    if engine not in ENGINES:
        raise UserError(f"unknown engine {engine!r}; use {', '.join(ENGINES)}.")
    on_cpu = device in ("auto", "cpu")
    if engine == "onnx" and not on_cpu:
        raise UserError(f"--engine onnx runs on the CPU, not --device {device}; use --device "
                        "cpu or --engine torch.")
    if engine != "auto":
        return engine
    return "onnx" if on_cpu and find_spec("onnxruntime") is not None else "torch"


def load_engine(name: str, model_path: str | Path, device: str, styles: Sequence[str],
                style_weights: Sequence[float] | None, alpha: float) -> Engine:
    """The engine `name` (torch or onnx) loaded with the model and its style options."""
    return (_onnx_engine(model_path, styles, style_weights, alpha) if name == "onnx" else
            _torch_engine(model_path, device, styles, style_weights, alpha))


def _torch_engine(model_path: str | Path, device: str, styles: Sequence[str],
                  style_weights: Sequence[float] | None, alpha: float) -> Engine:
    from artforge.core.device import set_threads
    from artforge.style.works import to_numpy, to_tensor

    set_threads()
    model, folder = load_style_model(model_path, device)
    stylizer = make_stylizer(model, styles, style_weights, alpha)
    device_of = next(model.parameters()).device
    return Engine("torch", model.kind, folder,
                  lambda photo: to_numpy(stylizer(to_tensor(photo).to(device_of))))


def _onnx_engine(model_path: str | Path, styles: Sequence[str],
                 style_weights: Sequence[float] | None, alpha: float) -> Engine:
    """onnxruntime on the model's ONNX export, from the cache (exported on first use)."""
    from artforge.data.pictures import open_picture
    from artforge.style import onnx_run
    from artforge.style.onnx_cache import cached_onnx

    folder, path = cached_onnx(model_path)
    session, meta = onnx_run.load_session(path)
    kind = meta["artforge_kind"]
    pairs = style_pairs(kind, styles, style_weights, alpha)
    if not pairs:
        return Engine("onnx", kind, folder,
                      lambda photo: onnx_run.stylize_array(session, meta, photo))
    squares = onnx_run.squares_of([open_picture(spec, what="style picture") for spec, _ in pairs],
                                  int(meta["style_size"]))
    weights = [w for _, w in pairs]
    return Engine("onnx", kind, folder, lambda photo: onnx_run.stylize_array(
        session, meta, photo, squares, weights, alpha))


def _engine_for(photo: np.ndarray, asked: str, loaded: Engine) -> str:
    """The engine that paints `photo`: the loaded one, except under auto for an adain picture
    over ONE_PIECE_PIXELS, which PyTorch paints in tiles."""
    big = photo.shape[0] * photo.shape[1] > ONE_PIECE_PIXELS
    return "torch" if asked == "auto" and loaded.kind == "adain" and big else loaded.name


def input_pictures(source: str | Path) -> list[str | Path]:
    """One picture (a file or builtin:NAME), or the pictures in a folder (sorted; not
    recursive)."""
    if str(source).startswith("builtin:"):
        return [str(source)]
    source = Path(source).expanduser()
    if source.is_dir():
        found = sorted(p for p in source.iterdir()
                       if p.is_file() and p.suffix.lower() in PICTURE_SUFFIXES)
        if not found:
            raise UserError(f"{source} has no pictures ({', '.join(sorted(PICTURE_SUFFIXES))}).")
        return found
    if not source.is_file():
        raise UserError(f"--in {source} does not exist.")
    return [source]


def output_paths(pictures: list[str | Path], source: str | Path, out: Path) -> list[Path]:
    """`out` itself for one picture; `out/<name>.png` for a folder of them."""
    if Path(source).is_dir():
        if out.suffix:
            raise UserError(f"--in is a folder, so --out must be a folder too, not {out.name}.")
        return [out / f"{Path(p).stem}.png" for p in pictures]
    from artforge.style.saved_works import check_out

    return [check_out(out)]


def stylize_images(model_path: str | Path, source: str | Path, out: str | Path, *,
                   styles: Sequence[str] = (), style_weights: Sequence[float] | None = None,
                   alpha: float = 1.0, preserve_colour: str = "none", max_side: int = MAX_SIDE,
                   mask: str | Path | None = None, device: str = "auto", engine: str = "torch",
                   catalog: bool = True, png_level: int = PNG_LEVEL) -> list[Path]:
    """Stylise the picture or folder `source` with a trained model (a folder or
    builtin:adain); return the PNGs written. `mask`: white where the style goes. `engine`:
    torch, onnx (onnxruntime on the CPU) or auto (see `pick_engine`); a work painted by
    onnxruntime says so in its params ("engine": "onnx"), and one written at another zlib
    level than Pillow's default too ("png_level")."""
    from artforge.core.checkpoint_layout import folder_hash
    from artforge.data.pictures import from_array, open_picture, to_array
    from artforge.style.saved_works import save_work, works_catalog

    # 1. Check inputs, pick the engine and load the model.
    if preserve_colour not in ("none", "luminance"):
        raise UserError("--preserve-colour for trained models is none or luminance.")
    options = (model_path, device, styles, style_weights, alpha)
    picked = pick_engine(engine, device)
    pictures = input_pictures(source)
    targets = output_paths(pictures, source, Path(out))
    # Read once, before anything is written (an unreadable mask is one sentence).
    mask_picture = None if mask is None else open_picture(mask, what="mask")
    engines = {picked: load_engine(picked, *options)}
    params = {"styles": list(styles), "style_weights": list(style_weights or []),
              "alpha": alpha, "preserve_colour": preserve_colour, "max_side": max_side,
              "mask": None if mask is None else str(mask)}
    params.update(builtin_params(model_path, MEDIUM.shipped))
    if png_level != PILLOW_PNG_LEVEL:  # works without it were written at Pillow's level
        params["png_level"] = png_level
    model_hash = folder_hash(engines[picked].folder)  # both engines paint the same folder
    # 2. Each picture: stylise at its own size, keep colours if asked, save, catalogue.
    written = []
    with works_catalog(catalog) as conn:
        for picture_path, target in zip(pictures, targets, strict=True):
            photo = to_array(open_picture(picture_path, max_side, what="picture"))
            name = _engine_for(photo, engine, engines[picked])
            if name not in engines:
                engines[name] = load_engine(name, *options)
            result = engines[name].paint(photo)
            result = finish_painting(result, photo, preserve_colour == "luminance",
                                     mask_picture, mask)
            # Works made before the ONNX engine (PyTorch, rounded from float32, no "engine" in
            # their params) must come out byte for byte the same when reproduced.
            painted_by = {"engine": name} if name == "onnx" else {}
            written.append(save_work(
                from_array(result.astype(np.float32)), target, STYLIZE_PIPELINE,
                {**params, "content": str(picture_path), **painted_by}, 0,
                model_path=engines[name].folder, catalog=catalog, model_hash=model_hash,
                conn=conn, png_level=png_level))
    return written


def _reproduce(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
    model_path = params.get("builtin_model", model_path)
    if model_path is None:
        raise UserError("this work has no model folder recorded, so it cannot be reproduced.")
    return stylize_images(model_path, params["content"], out, styles=params["styles"],
                          style_weights=params["style_weights"] or None, alpha=params["alpha"],
                          preserve_colour=params["preserve_colour"],
                          max_side=params["max_side"], mask=params.get("mask"), device="cpu",
                          engine=params.get("engine", "torch"), catalog=False,
                          png_level=params.get("png_level", PILLOW_PNG_LEVEL))[0]


PIPELINES.register(STYLIZE_PIPELINE)(_reproduce)
