"""The user cache: downloaded packages and converted data live under `$ARTFORGE_HOME/cache`."""

from pathlib import Path

from artforge.core.home import artforge_home


def cache_path(*parts: str) -> Path:
    """`$ARTFORGE_HOME/cache/<parts>`, without creating anything (for checks)."""
    return artforge_home().joinpath("cache", *parts)


def cache_dir(*parts: str) -> Path:
    """`$ARTFORGE_HOME/cache/<parts>`, created on first use."""
    folder = cache_path(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
