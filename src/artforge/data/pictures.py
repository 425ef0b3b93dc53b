"""Pictures in and out (style transfer, sketch → painting), with Pillow and numpy only (no torch).

Every picture a user hands over goes through `open_picture`: a path, `builtin:NAME` (a
built-in painting or photo), `builtin:paintings/NAME` or `builtin:photos/NAME`. Grey, 16-bit,
palette, CMYK and transparent pictures become 8-bit RGB (transparency over white), EXIF
rotation is applied, and a picture larger than `max_side` is shrunk with a warning, JPEGs
already while decoding so that a 10,000 px photo never needs its full size in memory.
The torch-free ONNX runner uses this module too.
"""

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from artforge.errors import UserError

MAX_SIDE = 4096
"""Longest side a picture keeps by default; larger ones are shrunk with a warning."""
BUILTIN = "builtin:"


class StyleWarning(UserWarning):
    """Something was adjusted for the user (a picture shrunk, a mask stretched)."""


def warn(message: str) -> None:
    warnings.warn(message, StyleWarning, stacklevel=3)


def builtin_names() -> list[str]:
    from artforge.data.images import builtin_paintings
    from artforge.data.photos import photo_names

    return builtin_paintings() + photo_names()


def _builtin(spec: str) -> Path | Image.Image:
    """A built-in painting's file, or a built-in photo's pixels."""
    from artforge.data.images import builtin_paintings, paintings_dir
    from artforge.data.photos import PHOTOS_SET, load_photo, photo_names

    group, _, name = spec.removeprefix(BUILTIN).rpartition("/")
    if group in ("", "paintings") and name in builtin_paintings():
        return paintings_dir() / f"{name}.jpg"
    if group in ("", PHOTOS_SET) and name in photo_names():
        return load_photo(name)
    raise UserError(f"there is no built-in picture {spec!r}; choose builtin:NAME with NAME one "
                    f"of: {', '.join(builtin_names())}.")


def _to_rgb(img: Image.Image) -> Image.Image:
    """8-bit RGB from any mode Pillow reads: 16/32-bit grey is scaled, alpha goes over white."""
    img = ImageOps.exif_transpose(img)
    if img.mode in ("I", "F") or img.mode.startswith("I;16"):
        pixels = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or pixels.max() > 255 else 255.0
        if img.mode == "F":
            top = max(float(pixels.max()), 1e-12)
        img = Image.fromarray(np.clip(pixels / top * 255.0 + 0.5, 0, 255).astype(np.uint8))
    if (img.mode == "P" and "transparency" in img.info) or img.mode in ("LA", "PA", "La"):
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "RGBa"):
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img.convert("RGBA"))
    return img.convert("RGB")


def _read_file(path: Path, max_side: int | None) -> Image.Image:
    if not path.is_file():
        raise UserError(f"image {path} does not exist.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if max_side and img.format == "JPEG" and max(img.size) > max_side:
                    scale = max_side / max(img.size)
                    img.draft("RGB", (round(img.width * scale), round(img.height * scale)))
                img.load()
                return _to_rgb(img)
    except Image.DecompressionBombError:
        raise UserError(f"{path} has too many pixels for Pillow's safety limit; shrink it "
                        "first.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        truncated = not isinstance(exc, UnidentifiedImageError) and "truncat" in str(exc).lower()
        reason = "truncated" if truncated else exc.__class__.__name__
        raise UserError(f"{path} is not a readable image ({reason}).") from None


def open_picture(spec: str | Path, max_side: int | None = MAX_SIDE, what: str = "image"
                 ) -> Image.Image:
    """The RGB picture `spec` names, its longer side at most `max_side` (with a warning)."""
    text = str(spec)
    source = _builtin(text) if text.startswith(BUILTIN) else Path(text).expanduser()
    picture = source if isinstance(source, Image.Image) else _read_file(source, max_side)
    if max_side and max(picture.size) > max_side:
        warn(f"the {what} {text} is larger than {max_side} px ({picture.width}x"
             f"{picture.height}); it was shrunk to {max_side} px on its longer side.")
        picture = fit_long_side(picture, max_side)
    return picture


def fit_long_side(picture: Image.Image, side: int) -> Image.Image:
    """`picture` resized (Lanczos, keeping its aspect) so that its longer side is `side`."""
    scale = side / max(picture.size)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return picture if size == picture.size else picture.resize(size, Image.Resampling.LANCZOS)


def to_array(picture: Image.Image) -> np.ndarray:
    """(H, W, 3) float32 in [0, 1]."""
    return np.asarray(picture.convert("RGB"), dtype=np.float32) / 255.0


def from_array(pixels: np.ndarray) -> Image.Image:
    """An RGB picture from (H, W, 3) floats in [0, 1] (clipped, rounded)."""
    return Image.fromarray((np.clip(pixels, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))


def open_mask(spec: str | Path, size: tuple[int, int]) -> np.ndarray:
    """A mask picture as (H, W) floats in [0, 1] (white: stylise) at `size` (width, height).

    A mask of another size is resized; one of another shape is stretched, with a warning."""
    return fit_mask(open_picture(spec, what="mask"), size, spec)


def fit_mask(picture: Image.Image, size: tuple[int, int], spec: str | Path) -> np.ndarray:
    """`open_mask` for a mask picture already read (from `spec`, named in the warning)."""
    ratio = (picture.width / picture.height) / (size[0] / size[1])
    if abs(ratio - 1.0) > 0.02:
        warn(f"the mask {spec} is {picture.width}x{picture.height}, another shape than the "
             f"picture ({size[0]}x{size[1]}); it was stretched to fit.")
    grey = picture.convert("L").resize(size, Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.float32) / 255.0


def side_by_side(pictures: list, height: int, out: Path, gap: int = 4) -> Path:
    """Pictures (paths or PIL images) scaled to `height` and set in a row on white, `gap`
    pixels apart; saved to `out`."""

    def fitted(picture: Image.Image) -> Image.Image:
        width = round(picture.width * height / picture.height)
        return picture.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)

    row = []
    for picture in pictures:
        if isinstance(picture, str | Path):
            with Image.open(picture) as opened:
                row.append(fitted(opened))
        else:
            row.append(fitted(picture))
    sheet = Image.new("RGB", (sum(p.width for p in row) + gap * (len(row) - 1), height), "white")
    left = 0
    for picture in row:
        sheet.paste(picture, (left, 0))
        left += picture.width + gap
    sheet.save(out)
    return Path(out)
