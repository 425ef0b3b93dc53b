"""Pack `.devcarry/`, what `scripts/gpu-train.sh` needs on a lent GPU machine besides the working
tree: that machine has python3 and torch but no network, and takes at most 64 MiB of tree and
carried folders together.

    .venv/bin/python scripts/pack_gpu_carry.py [--side 256] [--quality 90] [--whole]
        [--vgg-blocks 4]
    python3 scripts/pack_gpu_carry.py --tang-digest    (gpu-train.sh's check of tang/)

It writes, replacing what an earlier pack wrote (`resume/` is left as it is):
  wheels/                    the packages artforge imports there that the machine's image
                             lacks (device README: KINDS.md lists the image's), for Python 3.12
  vgg16-fp16.safetensors     the converted VGG16 conv weights in float16, blocks 1 to
                             `--vgg-blocks` (the three jobs look no deeper than relu4_1; block 5
                             alone is 13.5 MiB; gpu-train.sh fills what is left out with NaN)
  libraries/{photos,paintings}/  the picture libraries, each file re-encoded as a JPEG under
                             its own name, so builtin:photo-library / art-library, the held-out
                             pictures and split_library.py's split by name are the same as here:
                             its centre square at `--side` px, what the trainers read of it
                             (load_image_set), or with `--whole` all of it, short side `--side`;
                             never enlarged
  fast-styles-start/         the six shipped fast styles as one johnson-styles model in float16
                             (MultiStyleModel.from_singles), for make_fast_styles.py --init-from
  tang/poems.json.xz         the regular verse of the Tang poems' cache (tang-poems.json, made
                             from the 85 MB npm tarball), in traditional characters as cached:
                             each poem whose lines are all 五言 or all 七言 couplets, in the
                             cache's order, so builtin:tang/wuyan, /qiyan and /regular (not
                             builtin:tang, all poems) are the same poems with the same held-out
                             split there (gpu-train.sh writes it as its home's cache file; OpenCC
                             makes them simplified, from its wheel)
  tang/digest.txt            `--tang-digest` here: the SHA-256 of builtin:tang/regular
                             --simplified's training and held-out text, which gpu-train.sh
                             checks there before it trains
and prints each part's size, then what would travel with it (tracked and untracked files git
does not ignore, plus `.devcarry/`: device_tree.py size) against the 64 MiB limit; it fits
only with the shipped models the run does not load held out (device_tree.py hold).
"""

import argparse
import hashlib
import importlib.metadata
import json
import lzma
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

from artforge.data.image_folders import square

ROOT = Path(__file__).resolve().parents[1]
CARRY = ROOT / ".devcarry"
WHEELS = ("miditok", "mido", "symusic", "pySmartDL", "platformdirs", "opencc")
"""Imported by the trainers there (loading a shipped model lists every medium, music too;
opencc: builtin:tang --simplified) and missing from the machine's image; their other needs
(numpy, tokenizers, huggingface-hub, tqdm, packaging) are in it. Pinned to the versions
installed here (OpenCC's dictionaries come with its version: the same simplified text)."""
PIP_PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64",
                 "manylinux2014_x86_64", "manylinux1_x86_64")
LIBRARIES = ("builtin:photo-library", "builtin:art-library")
"""What the three trainers read (the folders photos and paintings of the libraries' cache)."""


def ensure_ignored(folder: Path) -> None:
    """Have git ignore `folder` (through .git/info/exclude, which is not shared)."""
    relative = folder.relative_to(ROOT)
    probe = subprocess.run(["git", "check-ignore", "-q", f"{relative}/"], cwd=ROOT, check=False)
    if probe.returncode != 0:
        exclude = ROOT / ".git" / "info" / "exclude"
        exclude.parent.mkdir(parents=True, exist_ok=True)
        with open(exclude, "a", encoding="utf-8") as handle:
            handle.write(f"/{relative}/\n")


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def download_wheels(target: Path) -> None:
    pins = [f"{name}=={importlib.metadata.version(name)}" for name in WHEELS]
    platforms = [arg for platform in PIP_PLATFORMS for arg in ("--platform", platform)]
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--only-binary=:all:", "--python-version", "3.12", "--implementation", "cp",
                    *platforms, "-d", str(fresh(target)), *pins], check=True)


def pack_vgg(target: Path, blocks: int) -> None:
    from safetensors.torch import save_file

    from artforge.encoders.vgg16 import load_vgg16_weights

    weights = load_vgg16_weights()
    save_file({name: value.half().contiguous() for name, value in weights.items()
               if int(name[4]) <= blocks}, str(target))  # conv{b}_{c}.weight|bias


def smaller(picture: Image.Image, side: int, whole: bool) -> Image.Image:
    """The centre square of `picture` at `side` px as the trainers cut it, or with `whole` all
    of it with that short side; never enlarged (the loaders skip pictures below their size)."""
    side = min(side, *picture.size)
    if not whole:
        return Image.fromarray(square(picture, side).transpose(1, 2, 0))
    scale = side / min(picture.size)
    size = tuple(side if length == min(picture.size) else round(length * scale)
                 for length in picture.size)
    return picture.resize(size, Image.Resampling.LANCZOS)


def pack_library(source: Path, target: Path, side: int, quality: int, whole: bool) -> None:
    """Every picture of `source` as a JPEG in `target` under the same name (`smaller`)."""
    fresh(target)
    for path in sorted(source.iterdir()):
        if not path.is_file():
            continue
        with Image.open(path) as picture:
            picture = picture.convert("RGB")
        smaller(picture, side, whole).save(target / path.name, "JPEG", quality=quality,
                                           optimize=True)


def pack_fast_styles_start(target: Path) -> None:
    """One johnson-styles model holding the six shipped fast styles (they were exported from
    one network), its weights in float16 as they are shipped."""
    from make_fast_styles import STYLES

    from artforge.core import checkpoint
    from artforge.style.multi_style import MultiStyleModel
    from artforge.style.stylize import style_model_folder

    model = MultiStyleModel.from_singles(
        {name: checkpoint.load(style_model_folder(f"builtin:{name}")) for name in STYLES})
    if target.exists():
        shutil.rmtree(target)
    checkpoint.save(model, target,
                    weights={name: value.half() for name, value in model.state_dict().items()},
                    card="# johnson-styles\n\nThe six shipped fast styles as one model.\n")


def tang_digest() -> str:
    """SHA-256 of the training and the held-out text of builtin:tang/regular --simplified."""
    from artforge.data.text import load_corpus

    corpus = load_corpus("builtin:tang/regular", simplified=True)
    held_out = "\n\n".join(document.text for document in corpus.validation)
    return hashlib.sha256(f"{corpus.train_text()}\0{held_out}".encode()).hexdigest()


def pack_tang(target: Path) -> None:
    """The regular verse of the Tang poems' cache, xz-compressed, and its digest."""
    from artforge.data.cache import cache_path
    from artforge.data.tang import CACHE_FILE, VARIANTS

    digest = tang_digest()  # reads the cache file, made from the npm tarball when missing
    patterns = [VARIANTS["wuyan"], VARIANTS["qiyan"]]
    poems = json.loads(cache_path(CACHE_FILE).read_text())
    regular = [lines for lines in poems
               if lines and any(all(map(pattern.match, lines)) for pattern in patterns)]
    fresh(target)
    (target / "poems.json.xz").write_bytes(lzma.compress(
        json.dumps(regular, ensure_ascii=False).encode(), preset=9 | lzma.PRESET_EXTREME))
    (target / "digest.txt").write_text(digest + "\n")


def report(parts: list[Path]) -> None:
    """Each part's size, then what would travel with `.devcarry` (device_tree.py size)."""
    from device_tree import file_sizes, report_size

    mib = 2**20
    for part in [*parts, CARRY]:
        print(f"{sum(file_sizes(part).values()) / mib:8.2f} MiB  {part.relative_to(ROOT)}")
    report_size(ROOT, [str(CARRY.relative_to(ROOT))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=256, help="pictures' short side, px")
    parser.add_argument("--quality", type=int, default=90, help="JPEG quality")
    parser.add_argument("--whole", action="store_true",
                        help="whole pictures, not the centre squares the trainers read")
    parser.add_argument("--vgg-blocks", type=int, choices=(4, 5), default=4,
                        help="VGG16 blocks to carry (5: all, 13.5 MiB more)")
    parser.add_argument("--tang-digest", action="store_true",
                        help="only print tang/digest.txt's digest as this machine reads "
                             "builtin:tang/regular --simplified")
    args = parser.parse_args()
    if args.tang_digest:
        print(tang_digest())
        return
    from artforge.data.libraries import library_folder

    sources = [library_folder(spec) for spec in LIBRARIES]
    CARRY.mkdir(exist_ok=True)
    ensure_ignored(CARRY)
    download_wheels(CARRY / "wheels")
    pack_vgg(CARRY / "vgg16-fp16.safetensors", args.vgg_blocks)
    libraries = [CARRY / "libraries" / source.name for source in sources]
    for source, target in zip(sources, libraries, strict=True):
        pack_library(source, target, args.side, args.quality, args.whole)
    pack_fast_styles_start(CARRY / "fast-styles-start")
    pack_tang(CARRY / "tang")
    report([CARRY / "wheels", CARRY / "vgg16-fp16.safetensors", *libraries,
            CARRY / "fast-styles-start", CARRY / "tang"])


if __name__ == "__main__":
    main()
