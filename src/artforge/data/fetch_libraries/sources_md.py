"""SOURCES.md: every written picture with its package, version, path in the package and
licence, and what was left out."""

from artforge.data.fetch_libraries.package import KINDS
from artforge.data.fetch_libraries.pictures import MIN_SHORT
from artforge.data.fetch_libraries.selection import Entry

MADE_BY = "`artforge data fetch-libraries`"
COLUMNS = ("file", "size", "title", "package", "version", "path in package", "licence", "note")


def kind_counts(entries: list[Entry]) -> dict[str, int]:
    return {kind: sum(1 for e in entries if e.kind == kind) for kind in KINDS}


def _cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def sources_md(entries: list[Entry], skipped: dict[str, int], heldout_titles: list[str],
               packages: dict[str, str]) -> str:
    """The text of SOURCES.md."""
    counts = kind_counts(entries)
    lines = [
        "# Training images from Debian packages\n\n",
        f"Made by {MADE_BY}. Counts: paintings {counts['paintings']}, photos "
        f"{counts['photos']}, abstract {counts['abstract']}.\n\n",
        "Held out for evaluation and NOT included (dropped by title and by perceptual hash): "
        + "; ".join(heldout_titles)
        + f". Other images dropped as matching them: {skipped['heldout']}.\n\n",
        f"Skipped: {skipped['small']} under {MIN_SHORT} px on the short side, {skipped['dup']} "
        f"near-duplicates, {skipped['error']} unreadable.\n\n",
        "Licences are those stated in each package (debian/copyright, or the README / metadata "
        "file next to the image); keep this file next to the images when they are shipped. "
        "The old-master paintings are public domain; the licence given is that of the scan.\n\n",
        "Packages: " + ", ".join(f"{p} {v}" for p, v in sorted(packages.items())) + "\n\n",
    ]
    for kind in KINDS:
        lines.append(f"## {kind} ({counts[kind]})\n\n| " + " | ".join(COLUMNS) + " |\n"
                     + "|---" * len(COLUMNS) + "|\n")
        for e in entries:
            if e.kind == kind:
                row = (e.file, e.size, e.title, e.package, e.version, e.src, e.licence, e.note)
                lines.append("| " + " | ".join(_cell(x) for x in row) + " |\n")
        lines.append("\n")
    return "".join(lines)

