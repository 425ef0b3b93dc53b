"""Applying a trained style network to pictures: `artforge style stylize`.

A `johnson` model folder stylises with the style it learned; an `adain` or `instant` folder
with any style pictures (`styles`, blended by `style_weights`, strength `alpha`). An
exported `.onnx` file goes to the torch-free runner instead. Pictures keep their size (capped at
`max_side`, with a warning); `preserve_colour="luminance"` keeps the photo's colours.
"""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch

from artforge.core.registry import PIPELINES
from artforge.data.pictures import MAX_SIDE
from artforge.data.shipped_models import is_builtin, model_folder
from artforge.errors import UserError
from artforge.style.medium import MEDIUM
from artforge.style.onnx_run import ANY_STYLE_KINDS

STYLIZE_PIPELINE = "style.stylize"
PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}
Stylizer = Callable[[torch.Tensor], torch.Tensor]


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


def make_stylizer(model, styles: Sequence[str] = (), style_weights: Sequence[float] | None = None,
                  alpha: float = 1.0) -> Stylizer:
    """A function (1, 3, H, W) -> (1, 3, H, W) in [0, 1] for the model and its options."""
    from artforge.data.pictures import open_picture
    from artforge.style.works import to_tensor

    if not 0.0 <= alpha <= 1.0:
        raise UserError(f"--alpha must be between 0 and 1, not {alpha}.")
    if model.kind not in ANY_STYLE_KINDS:
        if styles:
            raise UserError(f"a {model.kind} model paints the one style it learned; --style is "
                            "for adain and instant models.")
        return model.stylize
    if not styles:
        raise UserError(f"an {model.kind} model needs at least one --style picture.")
    from artforge.style.pipeline import parse_styles

    pairs = parse_styles(list(styles), style_weights)
    pictures = [to_tensor(open_picture(spec, what="style picture")) for spec, _ in pairs]
    weights = [w for _, w in pairs]
    encoded = model.square_styles(pictures)
    return lambda frame: model.stylize(frame, list(encoded.split(1)), weights, alpha)


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
    from artforge.style.works import check_out

    return [check_out(out)]


def stylize_images(model_path: str | Path, source: str | Path, out: str | Path, *,
                   styles: Sequence[str] = (), style_weights: Sequence[float] | None = None,
                   alpha: float = 1.0, preserve_colour: str = "none", max_side: int = MAX_SIDE,
                   mask: str | Path | None = None, device: str = "auto",
                   catalog: bool = True) -> list[Path]:
    """Stylise the picture or folder `source` with a trained model (a folder or
    builtin:adain); return the PNGs written. `mask`: white where the style goes."""
    from artforge.core.device import set_threads
    from artforge.data.pictures import fit_mask, open_picture, to_array
    from artforge.style import colour
    from artforge.style.works import save_work, to_numpy, to_picture, to_tensor

    # 1. Check inputs and load the model.
    if preserve_colour not in ("none", "luminance"):
        raise UserError("--preserve-colour for trained models is none or luminance.")
    pictures = input_pictures(source)
    targets = output_paths(pictures, source, Path(out))
    # Read once, before anything is written (an unreadable mask is one sentence).
    mask_picture = None if mask is None else open_picture(mask, what="mask")
    set_threads()
    model, folder = load_style_model(model_path, device)
    stylizer = make_stylizer(model, styles, style_weights, alpha)
    device_of = next(model.parameters()).device
    params = {"styles": list(styles), "style_weights": list(style_weights or []),
              "alpha": alpha, "preserve_colour": preserve_colour, "max_side": max_side,
              "mask": None if mask is None else str(mask)}
    if is_builtin(model_path, MEDIUM.shipped):  # found again by name on any install
        params["builtin_model"] = str(model_path)
    # 2. Each picture: stylise at its own size, keep colours if asked, save, catalogue.
    written = []
    for picture_path, target in zip(pictures, targets, strict=True):
        photo = to_array(open_picture(picture_path, max_side, what="picture"))
        result = to_numpy(stylizer(to_tensor(photo).to(device_of)))
        if preserve_colour == "luminance":
            result = colour.with_content_chroma(result, photo)
        if mask_picture is not None:
            region = fit_mask(mask_picture, (photo.shape[1], photo.shape[0]), mask)[..., None]
            result = region * result + (1.0 - region) * photo
        written.append(save_work(to_picture(to_tensor(result)), target, STYLIZE_PIPELINE,
                                 {**params, "content": str(picture_path)}, 0,
                                 model_path=folder, catalog=catalog))
    return written


def _reproduce(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
    model_path = params.get("builtin_model", model_path)
    if model_path is None:
        raise UserError("this work has no model folder recorded, so it cannot be reproduced.")
    return stylize_images(model_path, params["content"], out, styles=params["styles"],
                          style_weights=params["style_weights"] or None, alpha=params["alpha"],
                          preserve_colour=params["preserve_colour"],
                          max_side=params["max_side"], mask=params.get("mask"), device="cpu",
                          catalog=False)[0]


PIPELINES.register(STYLIZE_PIPELINE)(_reproduce)
