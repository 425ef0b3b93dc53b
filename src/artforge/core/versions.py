"""Versions of the packages that shape a result, recorded with every run and work."""

import platform
from importlib import metadata

_PACKAGES = ("artforge", "torch", "numpy", "safetensors", "pillow", "mido")


def package_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _PACKAGES + extra:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions
