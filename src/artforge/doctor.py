"""What this installation has: versions, device, threads, and the optional data and weights."""

import platform
import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from artforge import media
from artforge.core.medium import Check


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


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


def _media() -> list[Check]:
    """One row per medium: its label, model kinds and demo parts."""
    rows = []
    for each in media.MEDIA:
        parts = [f"models: {', '.join(each.model_kinds) or 'none'}"]
        parts += [f"demo: {', '.join(p.name for p in each.demo)}"] if each.demo else []
        rows.append(Check("media", each.name, f"{each.label} ({'; '.join(parts)})"))
    return rows


def _shipped() -> list[Check]:
    """Each medium's shipped models: found when their weights are in the package."""
    from artforge.data.shipped_models import shipped_folder

    checks = []
    for each in media.MEDIA:
        for model in each.shipped:
            weights = shipped_folder(model) / "model.safetensors"
            checks.append(Check.of(f"{model.name} ({model.label or model.makes})",
                                   weights.is_file() and weights.parent,
                                   "missing: reinstall artforge", section="shipped models"))
    return checks


_TOOLS: list[tuple[str, Callable[[], Path | str | None], str]] = [
    ("chromium (studio browser tests)",
     lambda: shutil.which("chromium") or shutil.which("chromium-browser"),
     "missing: apt-get install chromium"),
    ("Chinese font (screenshots)",
     lambda: next(iter(Path("/usr/share/fonts").rglob("wqy-zenhei.tt*")), None)
     if Path("/usr/share/fonts").is_dir() else None,
     "missing: apt-get install fonts-wqy-zenhei"),
]


def _assets() -> list[Check]:
    checks = [check for each in media.MEDIA for check in each.checks()]
    checks += [Check.of(name, locate(), missing) for name, locate, missing in _TOOLS]
    from artforge.catalog.db import catalog_path

    checks.append(Check("data and weights", "catalog", str(catalog_path())))
    return checks


def run_checks() -> list[Check]:
    return _versions() + _compute() + _media() + _shipped() + _assets()
