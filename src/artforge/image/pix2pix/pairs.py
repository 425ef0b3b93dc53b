"""(line art, picture) pairs from a folder: given as A/ and B/ sub-folders of matching names,
or made from a folder of paintings (or builtin:paintings) by drawing each one's line art.

Pictures are kept at a working size whose shorter side is twice the training crop, so that
random crops see a good part of a composition; drawn line art is cached in the user cache
(keyed by the file, its size and time, the working size and the sketch options).
"""

import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from artforge.data.image_folders import scan_folder
from artforge.data.images import BUILTIN_PREFIX, PAINTINGS, paintings_dir
from artforge.data.libraries import LIBRARIES, is_library, library_folder
from artforge.errors import UserError
from artforge.image.sketch.methods import DRAWING_VERSION, SketchConfig, line_art

SKETCH_DIR, PICTURE_DIR = "A", "B"


@dataclasses.dataclass
class PairedPictures:
    sketches: list[np.ndarray]
    """uint8 (H, W) line art, black on white."""
    pictures: list[np.ndarray]
    """uint8 (H, W, 3), each the size of its line art."""
    names: list[str]
    source: str
    skipped: list[tuple[str, str]]
    given: bool
    """True: the line art came with the data (A/ and B/); False: drawn here."""

    def subset(self, keep: list[int]) -> "PairedPictures":
        return dataclasses.replace(self, sketches=[self.sketches[i] for i in keep],
                                   pictures=[self.pictures[i] for i in keep],
                                   names=[self.names[i] for i in keep])


def working_side(size: int) -> int:
    return 2 * size


def _open_rgb(path: Path) -> tuple[Image.Image | None, str]:
    try:
        with Image.open(path) as img:
            img.load()
            return img.convert("RGB"), ""
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return None, f"damaged or not really an image ({exc.__class__.__name__})"


def _shrink(picture: Image.Image, side: int) -> Image.Image:
    """`picture` with its shorter side at most `side` pixels."""
    scale = side / min(picture.size)
    if scale >= 1:
        return picture
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def shrink_line_art(sketch: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Line art resized to `size`; when that is smaller, its lines stay as dark as they were.

    Plain resampling greys a 1-pixel line out to 1/factor of its ink. Here the ink (255 minus
    the grey) is averaged over each new pixel's area and multiplied back by the shrink factor,
    so a thin pen line is still a full black line at the smaller size."""
    factor = sketch.width / size[0]
    if factor <= 1:
        return sketch.resize(size, Image.Resampling.LANCZOS)
    ink = 255.0 - np.asarray(sketch, dtype=np.float32)
    planes = ink[..., None] if ink.ndim == 2 else ink
    small = np.stack([np.asarray(Image.fromarray(np.ascontiguousarray(plane), "F")
                                 .resize(size, Image.Resampling.BOX))
                      for plane in np.moveaxis(planes, -1, 0)], axis=-1)
    grey = (255.0 - np.clip(small * factor, 0, 255)).round().astype(np.uint8)
    return Image.fromarray(grey[..., 0] if ink.ndim == 2 else grey, sketch.mode)


def _sketch_cache(path: Path, side: int, config: SketchConfig) -> Path:
    from artforge.data.cache import cache_dir

    stat = path.stat()
    key = (f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{side}|{config.to_json()}|"
           f"{DRAWING_VERSION}")
    return cache_dir("sketches") / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.png"


def drawn_line_art(path: Path, picture: np.ndarray, side: int, config: SketchConfig
                   ) -> np.ndarray:
    """The line art of `picture` (read from `path`), from the cache when it was drawn before."""
    import io

    from artforge.core.atomic import write_bytes

    cache = _sketch_cache(path, side, config)
    if cache.is_file():
        with Image.open(cache) as saved:
            lines = np.asarray(saved.convert("L"))
        if lines.shape == picture.shape[:2]:
            return lines
    lines = line_art(picture, config)
    buffer = io.BytesIO()
    Image.fromarray(lines, "L").save(buffer, format="PNG")
    write_bytes(cache, buffer.getvalue())
    return lines


def _matched(folder: Path) -> tuple[list[tuple[Path, Path]], list[tuple[str, str]]]:
    """A/B files paired by name (without extension); unmatched names are a UserError."""
    sketches, skipped = scan_folder(folder / SKETCH_DIR)
    pictures, more = scan_folder(folder / PICTURE_DIR)
    by_stem = {p.relative_to(folder / PICTURE_DIR).with_suffix(""): p for p in pictures}
    a_stems = {p.relative_to(folder / SKETCH_DIR).with_suffix(""): p for p in sketches}
    lonely = sorted(str(s) for s in set(a_stems) ^ set(by_stem))
    if lonely:
        raise UserError(f"{folder}/A and {folder}/B must hold files of the same names; "
                        f"{len(lonely)} name(s) are in only one of them, e.g. "
                        f"{', '.join(lonely[:3])}.")
    return [(a_stems[s], by_stem[s]) for s in sorted(by_stem)], skipped + more


def _given_pair(a: Path, b: Path, side: int, min_side: int
                ) -> tuple[np.ndarray, np.ndarray] | str:
    picture, reason = _open_rgb(b)
    sketch, sketch_reason = _open_rgb(a)
    if picture is None or sketch is None:
        return reason or sketch_reason
    if min(picture.size) < min_side:
        return f"{picture.width}x{picture.height} is smaller than the {min_side}-pixel crops"
    picture = _shrink(picture, side)
    sketch = shrink_line_art(sketch.convert("L"), picture.size)
    return np.asarray(sketch), np.asarray(picture)


def _drawn_pair(path: Path, side: int, min_side: int, config: SketchConfig
                ) -> tuple[np.ndarray, np.ndarray] | str:
    picture, reason = _open_rgb(path)
    if picture is None:
        return reason
    if min(picture.size) < min_side:
        return f"{picture.width}x{picture.height} is smaller than the {min_side}-pixel crops"
    rgb = np.asarray(_shrink(picture, side))
    return drawn_line_art(path, rgb, side, config), rgb


def _files(spec: str) -> tuple[Path, list[tuple[Path, Path | None]], list[tuple[str, str]]]:
    """The folder, its (line art or None, picture) files, and files skipped while scanning."""
    if spec.startswith(BUILTIN_PREFIX) and not is_library(spec):
        if spec != BUILTIN_PREFIX + PAINTINGS:
            raise UserError(f"unknown built-in pair set {spec}; use {BUILTIN_PREFIX}{PAINTINGS}, "
                            f"{', '.join(BUILTIN_PREFIX + n for n in LIBRARIES)} or a folder.")
        folder = paintings_dir()
        return folder, [(None, p) for p in sorted(folder.glob("*.jpg"))], []
    folder = library_folder(spec) if is_library(spec) else Path(spec).expanduser()
    if (folder / SKETCH_DIR).is_dir() and (folder / PICTURE_DIR).is_dir():
        pairs, skipped = _matched(folder)
        return folder, list(pairs), skipped
    pictures, skipped = scan_folder(folder)
    return folder, [(None, p) for p in pictures], skipped


def load_pairs(spec: str, size: int, sketch: SketchConfig | None = None,
               progress: Callable[[int, int, str], None] | None = None) -> PairedPictures:
    """All usable pairs of `spec` (a folder, a folder with A/ and B/, or builtin:paintings)
    for `size`-pixel crops; `progress(i, n, name)` is called before each picture is read."""
    sketch = sketch or SketchConfig()
    folder, files, skipped = _files(spec)
    if not files:
        raise UserError(f"{folder} has no images (jpg, png, webp or bmp).")
    side = working_side(size)
    sketches, pictures, names = [], [], []
    for index, (a, b) in enumerate(files):
        if progress is not None:
            progress(index, len(files), b.name)
        pair = _given_pair(a, b, side, size) if a else _drawn_pair(b, side, size, sketch)
        if isinstance(pair, str):
            skipped.append((str(b), pair))
            continue
        sketches.append(pair[0])
        pictures.append(pair[1])
        names.append(str(b.relative_to(folder)))
    if len(names) < 2:
        first = f"; e.g. {Path(skipped[0][0]).name}: {skipped[0][1]}" if skipped else ""
        raise UserError(f"{folder} has {len(names)} usable picture(s) for {size}-pixel crops; "
                        f"at least 2 are needed{first}.")
    return PairedPictures(sketches, pictures, names, spec, skipped, given=files[0][0] is not None)


def split_names(names: list[str], holdout: float) -> tuple[list[int], list[int]]:
    """Indices of (training, held-out) pictures: the held-out ones are those whose names hash
    lowest, so the split does not depend on the folder's order; at least one each."""
    if not 0 <= holdout < 1:
        raise UserError(f"--holdout must be in [0, 1), not {holdout}.")
    count = min(len(names) - 1, max(1, round(len(names) * holdout))) if holdout else 0
    ranked = sorted(range(len(names)),
                    key=lambda i: hashlib.sha256(json.dumps(names[i]).encode()).hexdigest())
    held = sorted(ranked[:count])
    return [i for i in range(len(names)) if i not in held], held


def split_files(folder: Path, holdout: float) -> tuple[list[Path], list[Path]]:
    """(training, held-out) picture files of `folder`, split by name as training on the folder
    splits them (when every picture is large enough for the crops)."""
    files, _ = scan_folder(folder)
    train, held = split_names([str(p.relative_to(folder)) for p in files], holdout)
    return [files[i] for i in train], [files[i] for i in held]
