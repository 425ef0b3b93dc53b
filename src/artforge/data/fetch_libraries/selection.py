"""Which candidate pictures go into the libraries: readable, large enough, not a held-out
painting, not a near-duplicate of one already written; they are written as JPEG."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from artforge.data.fetch_libraries.package import Candidate
from artforge.data.fetch_libraries.pictures import (
    HELDOUT_DIST,
    MAX_SIDE,
    MIN_SHORT,
    dhash,
    dhash16,
    flatten,
    hamming,
    near_dup,
    thumb,
)


@dataclass
class Entry:
    """A written picture: a row of SOURCES.md."""

    kind: str
    file: str
    size: str
    title: str
    package: str
    version: str
    src: str
    licence: str
    note: str


def scaled_down(image: Image.Image) -> Image.Image | None:
    """`image` scaled down (in place) to MAX_SIDE, or None when its short side is under
    MIN_SHORT."""
    if min(image.size) < MIN_SHORT:
        return None
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
    return image


def matches_held_out(image: Image.Image, heldout: list[tuple[str, int]]) -> bool:
    """Whether `image` looks like one of the held-out paintings, (title, dhash) each."""
    digest = dhash(image)
    return any(hamming(digest, held) <= HELDOUT_DIST for _, held in heldout)


@dataclass
class PictureSelection:
    """The pictures written so far into folder/KIND/NAME.jpg, and what was left out why."""

    folder: Path
    heldout: list[tuple[str, int]]
    report: Callable[[str], None] = lambda line: None
    entries: list[Entry] = field(default_factory=list)
    skipped: dict[str, int] = field(
        default_factory=lambda: {"small": 0, "dup": 0, "heldout": 0, "error": 0})
    packages: dict[str, str] = field(default_factory=dict)
    """Package → version, of those a written picture comes from."""
    _seen: list[tuple[tuple[int, bytes], str]] = field(default_factory=list)
    _used: set[str] = field(default_factory=set)

    def add(self, candidate: Candidate) -> None:
        """Write `candidate` unless it is unreadable, small, held out or a near-duplicate."""
        try:
            image = candidate.image
            if not isinstance(image, Image.Image):
                image = Image.open(image)
            image.load()
            image = flatten(image, gradient=candidate.gradient)
        except Exception as exc:  # noqa: BLE001 - any unreadable picture is left out
            self.report(f"  ! {candidate.src}: {exc}")
            self.skipped["error"] += 1
            return
        image = scaled_down(image)
        if image is None:
            self.skipped["small"] += 1
            return
        if matches_held_out(image, self.heldout):
            self.report(f"  held-out match dropped: {candidate.src}")
            self.skipped["heldout"] += 1
            return
        features = (dhash16(image), thumb(image))
        duplicate = next((name for seen, name in self._seen if near_dup(features, seen)), None)
        if duplicate:
            self.report(f"  near-duplicate of {duplicate}: {candidate.package}:{candidate.src}")
            self.skipped["dup"] += 1
            return
        self._write(candidate, image, features)

    def _write(self, candidate: Candidate, image: Image.Image,
               features: tuple[int, bytes]) -> None:
        name = candidate.name
        while name in self._used:
            name += "-2"
        self._used.add(name)
        image.save(self.folder / candidate.kind / f"{name}.jpg", "JPEG", quality=92,
                   optimize=True)
        self._seen.append((features, name))
        self.entries.append(Entry(candidate.kind, f"{name}.jpg", f"{image.width}x{image.height}",
                                  candidate.title, candidate.package, candidate.version,
                                  candidate.src, candidate.licence, candidate.note))
        self.packages[candidate.package] = candidate.version
