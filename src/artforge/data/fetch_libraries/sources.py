"""The picture sources, in the order they run (GCompris first: it finds the held-out
paintings), each with the Debian packages it downloads."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from artforge.data.fetch_libraries import game_art, gcompris, samples, wallpapers
from artforge.data.fetch_libraries.package import Candidate, SourceContext


@dataclass(frozen=True)
class Source:
    pictures: Callable[[SourceContext], Iterator[Candidate]]
    packages: tuple[str, ...]


SOURCES = {
    "gcompris": Source(gcompris.pictures, gcompris.PACKAGES),
    "endless-sky": Source(game_art.endless_sky, game_art.ENDLESS_SKY),
    "wesnoth": Source(game_art.wesnoth, game_art.WESNOTH),
    "opencv": Source(samples.opencv, samples.OPENCV),
    "tuxpaint": Source(samples.tuxpaint, samples.TUXPAINT),
    "samples": Source(samples.samples, samples.SAMPLES),
    "wallpapers": Source(wallpapers.wallpapers, wallpapers.PACKAGES),
}
"""Name (for --skip) → its source."""


def chosen_sources(skip: tuple[str, ...] = ()) -> dict[str, Source]:
    """SOURCES less the skipped ones; an unknown name is a ValueError listing the known ones."""
    unknown = sorted(set(skip) - set(SOURCES))
    if unknown:
        raise ValueError(f"unknown picture source {unknown[0]!r}; known: {', '.join(SOURCES)}.")
    return {name: source for name, source in SOURCES.items() if name not in skip}
