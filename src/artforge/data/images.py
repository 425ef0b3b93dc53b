"""Images from a path or `builtin:paintings/NAME`, read with Pillow, with clear errors."""

from importlib import resources
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from artforge.errors import UserError

BUILTIN_PREFIX = "builtin:"
PAINTINGS = "paintings"


def paintings_dir() -> Path:
    """The folder of the 19 built-in public-domain paintings (SOURCES.md lies beside them)."""
    return Path(str(resources.files("artforge.data") / PAINTINGS))


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
