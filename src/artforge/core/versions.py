"""Versions of the packages that shape a result, recorded with every run and work."""

import functools
import platform
from importlib import metadata

_PACKAGES = ("artforge", "torch", "numpy", "safetensors", "pillow", "mido")


def package_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    return dict(_installed_versions(tuple(extra)))


@functools.cache
def _installed_versions(extra: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Read once a process: a folder of works asks twice a work (its provenance and its
    catalog row), and parsing the packages' metadata takes milliseconds each time."""
    versions = {"python": platform.python_version()}
    for name in _PACKAGES + extra:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return tuple(versions.items())
