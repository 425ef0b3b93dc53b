"""Training images from a folder or a built-in set, as square uint8 tensors cached on disk.

`load_image_set(spec, size)` scans a folder (nested, jpg/png/webp/bmp), skips what it cannot
use with a reason per file, centre-crops and resizes the rest to `size` pixels and caches the
result as one .npy file keyed by the files' names, sizes and times, so later epochs and runs
start at once. `ImageSet.dataset(flip=True)` is what the Trainer iterates over.
"""

import dataclasses
import hashlib
import io
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

from artforge.core.atomic import write_bytes
from artforge.data.images import BUILTIN_PREFIX
from artforge.errors import UserError

EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
MIN_SIZE, MAX_SIZE = 8, 1024


@dataclasses.dataclass
class ImageSet:
    images: torch.Tensor
    """(N, 3, size, size) uint8."""
    skipped: list[tuple[str, str]]
    """(file, reason) for every file that was not used."""
    source: str

    def dataset(self, flip: bool = True) -> "ImageDataset":
        return ImageDataset(self.images, flip)


def to_floats(images: torch.Tensor, flip: bool, low: float = -1.0) -> torch.Tensor:
    """uint8 images as floats in [low, 1], each flipped left-right at random (torch's seeded
    RNG) when `flip`."""
    batch = images.float().div_(255.0 / (1.0 - low)).add_(low)
    if flip:
        flipped = torch.rand(len(batch)) < 0.5
        batch[flipped] = batch[flipped].flip(-1)
    return batch


class ImageDataset(torch.utils.data.Dataset):
    """uint8 images as floats in [low, 1]: [-1, 1] for GANs, [0, 1] for style networks. With
    `crop`, each is a square of that side at a random place (torch's seeded RNG)."""

    def __init__(self, images: torch.Tensor, flip: bool = True, low: float = -1.0,
                 crop: int | None = None) -> None:
        self.images, self.flip, self.low, self.crop = images, flip, low, crop

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> torch.Tensor:
        return self.__getitems__([index])[0]

    def __getitems__(self, indices: list[int]) -> torch.Tensor:
        images = self.images[torch.as_tensor(indices)]
        if self.crop is not None:
            height, width = images.shape[-2:]
            tops = torch.randint(height - self.crop + 1, (len(images),)).tolist()
            lefts = torch.randint(width - self.crop + 1, (len(images),)).tolist()
            images = torch.stack([image[:, top:top + self.crop, left:left + self.crop]
                                  for image, top, left in zip(images, tops, lefts, strict=True)])
        return to_floats(images, self.flip, self.low)


def square(picture: Image.Image, size: int) -> np.ndarray:
    """Centre square crop of `picture`, resized to `size`, as a (3, size, size) uint8 array."""
    side = min(picture.size)
    left, top = (picture.width - side) // 2, (picture.height - side) // 2
    cropped = picture.crop((left, top, left + side, top + side))
    resized = cropped.resize((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return np.asarray(resized, dtype=np.uint8).transpose(2, 0, 1)


def scan_folder(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Image files under `folder` (sorted) and the other files with why they were skipped."""
    if not folder.is_dir():
        raise UserError(f"image folder {folder} does not exist.")
    files, skipped = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name.startswith("."):
            continue
        if path.suffix.lower() in EXTENSIONS:
            files.append(path)
        else:
            skipped.append((str(path), f"not an image file ({path.suffix or 'no extension'})"))
    return files, skipped


def _read(path: Path, size: int) -> tuple[np.ndarray | None, str]:
    try:
        with Image.open(path) as img:
            img.load()
            picture = img.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return None, f"damaged or not really an image ({exc.__class__.__name__})"
    if min(picture.size) < size:
        return None, f"{picture.width}x{picture.height} is smaller than {size} px"
    return square(picture, size), ""


def _cache_path(files: list[Path], size: int) -> Path:
    from artforge.data.cache import cache_dir

    digest = hashlib.sha256(str(size).encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return cache_dir("images") / f"{digest.hexdigest()[:24]}.npz"


def load_folder(folder: Path, size: int) -> ImageSet:
    files, skipped = scan_folder(Path(folder))
    if not files:
        raise UserError(f"{folder} has no images (jpg, png, webp or bmp).")
    cache = _cache_path(files, size)
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as saved:
            kept = [(str(f), str(r)) for f, r in zip(saved["skip_files"], saved["skip_reasons"],
                                                     strict=True)]
            return ImageSet(torch.from_numpy(saved["images"]), skipped + kept, str(folder))
    arrays, unreadable = [], []
    for path in files:
        array, reason = _read(path, size)
        if array is None:
            unreadable.append((str(path), reason))
        else:
            arrays.append(array)
    _check_enough(folder, len(arrays), skipped + unreadable)
    images = np.stack(arrays)
    buffer = io.BytesIO()
    np.savez(buffer, images=images, skip_files=np.array([f for f, _ in unreadable], dtype=str),
             skip_reasons=np.array([r for _, r in unreadable], dtype=str))
    write_bytes(cache, buffer.getvalue())
    return ImageSet(torch.from_numpy(images), skipped + unreadable, str(folder))


def _check_enough(folder: Path, count: int, skipped: list[tuple[str, str]]) -> None:
    if count >= 2:
        return
    first = f"; e.g. {Path(skipped[0][0]).name}: {skipped[0][1]}" if skipped else ""
    found = "no usable image" if count == 0 else "only one usable image"
    raise UserError(f"{folder} has {found}; a GAN needs at least 2 (and does well with a few "
                    f"hundred){first}.")


def _digits(count: int, size: int, seed: int) -> np.ndarray:
    """sklearn's 8x8 handwritten digits, white on black, scaled up to `size` (a smoke test)."""
    from sklearn.datasets import load_digits

    pixels = load_digits().images[:count] / 16.0 * 255.0
    pictures = [Image.fromarray(p.astype(np.uint8)).convert("RGB") for p in pixels]
    return np.stack([np.asarray(p.resize((size, size), Image.Resampling.BICUBIC))
                     .transpose(2, 0, 1) for p in pictures])


def _makers() -> dict:
    from artforge.data.abstract import abstract_images
    from artforge.data.images import painting_crops

    return {"abstract": abstract_images, "paintings": painting_crops, "digits": _digits}


def load_builtin(name: str, size: int, count: int, seed: int) -> ImageSet:
    makers = _makers()
    if name not in makers:
        raise UserError(f"unknown built-in image set {BUILTIN_PREFIX}{name}; choose one of: "
                        f"{', '.join(BUILTIN_PREFIX + n for n in makers)}.")
    from artforge.data.cache import cache_dir

    cache = cache_dir("images") / f"{name}-{count}-{size}-{seed}.npy"
    if cache.is_file():
        return ImageSet(torch.from_numpy(np.load(cache)), [], BUILTIN_PREFIX + name)
    images = makers[name](count, size, seed)
    buffer = io.BytesIO()
    np.save(buffer, images)
    write_bytes(cache, buffer.getvalue())
    return ImageSet(torch.from_numpy(images), [], BUILTIN_PREFIX + name)


def load_image_set(spec: str, size: int, *, count: int = 500, seed: int = 0) -> ImageSet:
    """A folder path, builtin:abstract / builtin:paintings / builtin:digits, or a picture
    library (builtin:photo-library, art-library, wallpapers; artforge.data.libraries), at
    `size` px.

    `count` is how many pictures the built-ins make (abstract compositions, random crops of
    the 19 paintings, or the first digits); a folder gives what it has.
    """
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise UserError(f"--size must be between {MIN_SIZE} and {MAX_SIZE} pixels, not {size}.")
    if count < 2:
        raise UserError("--count must be at least 2.")
    from artforge.data.libraries import is_library, library_folder

    if is_library(spec):
        return load_folder(library_folder(spec), size)
    if spec.startswith(BUILTIN_PREFIX):
        return load_builtin(spec.removeprefix(BUILTIN_PREFIX), size, count, seed)
    return load_folder(Path(spec).expanduser(), size)
