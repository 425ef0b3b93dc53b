"""Images from a path or `builtin:paintings/NAME`, read with Pillow, with clear errors."""

from importlib import resources
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from artforge.errors import UserError

BUILTIN_PREFIX = "builtin:"
PAINTINGS = "paintings"


def paintings_dir() -> Path:
    """The folder of the 19 built-in public-domain paintings (SOURCES.md lies beside them)."""
    return Path(str(resources.files("artforge.assets") / PAINTINGS))


def builtin_paintings() -> list[str]:
    return sorted(p.stem for p in paintings_dir().glob("*.jpg"))


def resolve_image_path(spec: str) -> Path:
    """A file path, or `builtin:paintings/NAME` (NAME without .jpg)."""
    if not spec.startswith(BUILTIN_PREFIX):
        path = Path(spec).expanduser()
        if not path.is_file():
            raise UserError(f"image {spec} does not exist.")
        return path
    dataset, _, name = spec.removeprefix(BUILTIN_PREFIX).partition("/")
    if dataset != PAINTINGS or not name:
        raise UserError(f"unknown built-in image {spec!r}; use builtin:paintings/NAME with NAME "
                        f"one of: {', '.join(builtin_paintings())}.")
    path = paintings_dir() / f"{name}.jpg"
    if not path.is_file():
        raise UserError(f"there is no built-in painting {name!r}; choose one of: "
                        f"{', '.join(builtin_paintings())}.")
    return path


def load_rgb(spec: str, max_side: int | None = None) -> Image.Image:
    """Read an image as RGB, optionally shrunk so its longer side is at most `max_side`."""
    path = resolve_image_path(spec)
    try:
        with Image.open(path) as img:
            rgb = img.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise UserError(f"{path} is not a readable image ({exc.__class__.__name__}).") from None
    if max_side and max(rgb.size) > max_side:
        scale = max_side / max(rgb.size)
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.Resampling.LANCZOS)
    return rgb


def painting_crops(count: int, size: int, seed: int = 0):
    """`count` random square crops (40–100 % of the shorter side) of the built-in paintings,
    taken in turn, as a (count, 3, size, size) uint8 array: the few-shot art set for GANs."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pictures = [load_rgb(f"{BUILTIN_PREFIX}{PAINTINGS}/{name}") for name in builtin_paintings()]
    out = np.empty((count, 3, size, size), dtype=np.uint8)
    for index in range(count):
        picture = pictures[index % len(pictures)]
        side = int(min(picture.size) * rng.uniform(0.4, 1.0))
        left = int(rng.integers(0, picture.width - side + 1))
        top = int(rng.integers(0, picture.height - side + 1))
        crop = picture.crop((left, top, left + side, top + side))
        resized = crop.resize((size, size), Image.Resampling.LANCZOS)
        out[index] = np.asarray(resized, dtype=np.uint8).transpose(2, 0, 1)
    return out
