"""A downloaded and (partly) extracted Debian package, the candidate pictures it offers, and
the context every picture source gets: where packages go and how progress is told."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from artforge.data.fetch_libraries.apt import apt_download
from artforge.data.fetch_libraries.deb import deb_version, extract_deb
from artforge.data.fetch_libraries.dep5 import Dep5

IMG_EXT = (".png", ".jpg", ".jpeg", ".webp")
KINDS = ("paintings", "photos", "abstract")
"""The libraries' folders: builtin:art-library, builtin:photo-library, builtin:wallpapers."""
Gradient = tuple[tuple[int, int, int], tuple[int, int, int]]


@dataclass
class Candidate:
    """A picture a source offers, and where it comes from."""

    kind: str
    """One of KINDS."""
    image: Path | Image.Image
    name: str
    """The written file's stem (made unique by appending -2)."""
    package: str
    version: str
    src: str
    """Its path inside the package."""
    licence: str
    title: str = ""
    gradient: Gradient | None = None
    """Transparent parts go on this top-to-bottom gradient instead of white."""
    note: str = ""


def images_and_copyright(path: str) -> bool:
    """What a package is extracted for unless its source says otherwise."""
    return path.lower().endswith(IMG_EXT) or ("/doc/" in path and path.endswith("/copyright"))


class Package:
    """A Debian package downloaded into cache/deb and the files `want` picks extracted into
    cache/x/NAME (once: a kept cache is reused)."""

    def __init__(self, name: str, cache: Path, report: Callable[[str], None],
                 want: Callable[[str], bool] | None = None):
        self.name = name
        deb = apt_download(name, cache / "deb", report)
        self.version = deb_version(deb)
        self.root = cache / "x" / name
        if not self.root.exists():
            extract_deb(deb, self.root, want or images_and_copyright)
        self.dep5 = Dep5.load(self.root / "usr/share/doc" / name / "copyright")

    def files(self, pattern: str) -> list[Path]:
        return sorted(self.root.glob(pattern))

    def rel(self, path: Path) -> str:
        return "/" + str(path.relative_to(self.root))

    def cand(self, kind: str, path: Path, name: str | None = None, licence: str | None = None,
             **details) -> Candidate:
        """`path` as a candidate, with its DEP-5 licence unless `licence` is given."""
        rel = self.rel(path)
        licence = licence or self.dep5.licence(rel.lstrip("/"),
                                               f"see /usr/share/doc/{self.name}/copyright")
        return Candidate(kind, path, name or f"{self.name}--{path.stem}", self.name, self.version,
                         rel, licence, **details)


@dataclass
class SourceContext:
    """What every picture source gets."""

    cache: Path
    """Downloaded .deb files and extracted trees."""
    report: Callable[[str], None] = lambda line: None
    heldout: list[tuple[str, int]] = field(default_factory=list)
    """(title, dhash) of the paintings held out for evaluation, filled by the GCompris
    source, which runs first."""

    def package(self, name: str, want: Callable[[str], bool] | None = None) -> Package:
        return Package(name, self.cache, self.report, want)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-', at most 80 characters ('x' when none)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:80] or "x"
