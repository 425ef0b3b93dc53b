"""`builtin:photos`: the sample photographs that scikit-image and scikit-learn ship.

They are the content pictures of the style demos and the training set of the fast style
networks: astronaut, a cat, coffee, a rocket, a motorcycle, the Hubble deep field, the Chinese
temple and the flower of scikit-learn, some grey photos (camera man, coins, clock, moon) and
three textures (brick, grass, gravel). No download: the files are inside those packages.
"""

from collections.abc import Callable
from importlib import util
from pathlib import Path

import numpy as np
from PIL import Image

from artforge.errors import UserError

PHOTOS_SET = "photos"


def _skimage(name: str, pick: int | None = None) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from skimage import data

        pixels = getattr(data, name)()
        return pixels[pick] if pick is not None else pixels

    return load


def _sklearn(file: str) -> Callable[[], np.ndarray]:
    """scikit-learn's two JPEGs, read as files: importing sklearn.datasets takes seconds."""

    def load() -> np.ndarray:
        spec = util.find_spec("sklearn")
        if spec is None or not spec.submodule_search_locations:
            raise UserError("builtin:photos needs scikit-learn; run `pip install scikit-learn`.")
        folder = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "images"
        with Image.open(folder / file) as img:
            return np.asarray(img.convert("RGB"))

    return load


PHOTOS: dict[str, Callable[[], np.ndarray]] = {
    "astronaut": _skimage("astronaut"), "chelsea": _skimage("chelsea"),
    "coffee": _skimage("coffee"), "rocket": _skimage("rocket"),
    "motorcycle": _skimage("stereo_motorcycle", 0), "hubble": _skimage("hubble_deep_field"),
    "china": _sklearn("china.jpg"), "flower": _sklearn("flower.jpg"),
    "camera": _skimage("camera"), "coins": _skimage("coins"), "clock": _skimage("clock"),
    "moon": _skimage("moon"), "brick": _skimage("brick"), "grass": _skimage("grass"),
    "gravel": _skimage("gravel"),
}


def photo_names() -> list[str]:
    return list(PHOTOS)


def load_photo(name: str) -> Image.Image:
    """The built-in photo `name` as an RGB picture (grey ones are repeated over 3 channels)."""
    if name not in PHOTOS:
        raise UserError(f"there is no built-in photo {name!r}; choose one of: "
                        f"{', '.join(PHOTOS)}.")
    try:
        pixels = PHOTOS[name]()
    except (ImportError, OSError, ValueError) as exc:
        raise UserError(f"built-in photo {name!r} cannot be read ({exc}).") from None
    return Image.fromarray(np.asarray(pixels, dtype=np.uint8)).convert("RGB")


def photo_crops(count: int, size: int, seed: int = 0) -> np.ndarray:
    """`count` random square crops (35-100 % of the shorter side, flipped at random) of the
    built-in photos, taken in turn, as a (count, 3, size, size) uint8 array."""
    rng = np.random.default_rng(seed)
    pictures = [load_photo(name) for name in PHOTOS]
    out = np.empty((count, 3, size, size), dtype=np.uint8)
    for index in range(count):
        picture = pictures[index % len(pictures)]
        side = int(min(picture.size) * rng.uniform(0.35, 1.0))
        left = int(rng.integers(0, picture.width - side + 1))
        top = int(rng.integers(0, picture.height - side + 1))
        crop = picture.crop((left, top, left + side, top + side))
        pixels = np.asarray(crop.resize((size, size), Image.Resampling.LANCZOS), dtype=np.uint8)
        out[index] = (pixels[:, ::-1] if rng.random() < 0.5 else pixels).transpose(2, 0, 1)
    return out
