"""GCompris (Qt .rcc resources): old-master paintings reassembled from its jigsaw boards,
whole paintings and monument photos, and the photos of its other activities. It also ships
the three paintings held out for evaluation; their hashes are kept to drop any copy."""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from PIL import Image

from artforge.data.fetch_libraries.package import IMG_EXT, Candidate, SourceContext, slug
from artforge.data.fetch_libraries.pictures import dhash, flatten
from artforge.data.fetch_libraries.rcc import read_rcc

PACKAGES = ("gcompris-qt-data",)
HELDOUT_TITLE = re.compile(r"poppies|girls at the piano|jeunes filles au piano|aigues[- ]mortes",
                           re.I)
"""Hokusai's Poppies, Renoir's Girls at the Piano, Bazille's Ramparts at Aigues-Mortes."""
ALREADY_SHIPPED = re.compile(
    r"Ryogoku|Kazusa|Mona Lisa|Pala di Pesaro|Dürer, Lion|Harvesters|Composition VIII|"
    r"moulin de la Galette|Summertime|Village Street in Auvers|Arcimboldo|Oiran|"
    r"Woman holding a fan|Ejiri|Great Wave|Benzaiten|Horse-mackerel|starry_night", re.I)
"""Already in src/artforge/assets/paintings: flagged in SOURCES.md, still written."""
RCC = "/usr/share/gcompris-qt/rcc/*.rcc:"
PHOTO_ACTIVITIES = ("explore_monuments/resource/*/*.webp", "erase/resource/*.webp",
                    "explore_world_animals/resource/animals/*.webp",
                    "explore_farm_animals/resource/animals/*.webp",
                    "explore_world_music/resource/music/*.webp",
                    "categorization/resource/images/*/*.webp")


def is_held_out(title: str) -> bool:
    return bool(HELDOUT_TITLE.search(title))


def readme_licences(root: Path) -> dict[str, str]:
    """Image path → licence, from the README files inside GCompris's resources (blocks of
    Copyright/License/Source/Comment lines and the file names they cover)."""
    out = {}
    for readme in root.rglob("README*"):
        for block in re.split(r"\n\s*\n", readme.read_text(errors="replace")):
            info, files = {}, []
            for line in block.splitlines():
                match = re.match(r"^(Copyright|License|Source|Comments?|Files)\s*:\s*(.*)$",
                                 line.strip())
                if match:
                    word = match.group(1).lower()
                    key = "comment" if word == "comments" else word.rstrip("s")
                    if key == "file":
                        files += match.group(2).split()
                    else:
                        info.setdefault(key, []).append(match.group(2).strip())
                elif line.strip().lower().endswith(IMG_EXT + (".svg", ".svgz")):
                    files += line.split()
            if "license" in info:
                licence = info["license"][0]
                extra = "; ".join(x for x in info.get("copyright", []) + info.get("source", [])
                                  + info.get("comment", []) if x)
                for name in files:
                    path = os.path.normpath(readme.parent / name)
                    out[path] = f"{licence} ({extra})" if extra else licence
    return out


def pictures(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("gcompris-qt-data",
                          want=lambda p: p.endswith(".rcc") or p.endswith("/copyright"))
    resources = ctx.cache / "x" / "gcompris-rcc"
    if not resources.exists():
        for rcc in package.files("usr/share/gcompris-qt/rcc/*.rcc"):
            for path, raw in read_rcc(rcc.read_bytes(), ctx.report):
                if path.lower().endswith(IMG_EXT + (".qml",)) or "/README" in path:
                    out = resources / path
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(raw)
    activities = resources / "gcompris/src/activities"
    readmes = readme_licences(activities)

    def candidate(kind: str, path: Path, title: str = "", name: str | None = None) -> Candidate:
        licence = readmes.get(os.path.normpath(path)) or package.dep5.licence(
            str(path.relative_to(resources / "gcompris")), "GPL-3+")
        return Candidate(kind, path, name or "gcompris--" + path.stem, package.name,
                         package.version, RCC + str(path.relative_to(resources)), licence,
                         title=title)

    painting_licence = (package.dep5.licence("src/activities/paintings/resource/image/x.webp",
                                             "GPL-3+") + "; artwork itself public domain")
    for title, image, board in _jigsaw_paintings(activities / "paintings/resource"):
        if is_held_out(title):
            ctx.heldout.append((title, dhash(image)))
            continue
        kind = "photos" if "Pieta" in title else "paintings"  # a photo of a sculpture
        yield Candidate(kind, image, "gcompris--" + slug(title), package.name, package.version,
                        f"{RCC}gcompris/src/activities/paintings/resource/{board} (reassembled)",
                        painting_licence, title=title,
                        note="already in artforge assets" if ALREADY_SHIPPED.search(title) else "")
    yield from _details(activities / "details/resource", candidate)
    for pattern in PHOTO_ACTIVITIES:
        for path in sorted(activities.glob(pattern)):
            if "/alphabets/" in str(path) or "/numbers/" in str(path):
                continue
            activity = path.relative_to(activities).parts[0]
            yield candidate("photos", path, name=f"gcompris--{activity}-{path.stem}")


def _jigsaw_paintings(folder: Path) -> Iterator[tuple[str, Image.Image, str]]:
    """(title, picture, board file) of each board of the "paintings" activity, its jigsaw
    pieces put back together."""
    boards = sorted(folder.glob("board/board*_0.qml"),
                    key=lambda p: int(re.findall(r"\d+", p.name)[0]))
    for board in boards:
        text = board.read_text()
        title = re.search(r'qsTr\("([^"]+)"\)', text).group(1)
        width = int(re.search(r'"width"\s*:\s*(\d+)', text).group(1))
        height = int(re.search(r'"height"\s*:\s*(\d+)', text).group(1))
        canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        pieces = re.findall(r'"pixmapfile"\s*:\s*"([^"]+\.webp)"\s*,\s*"x"\s*:\s*"?([\d.]+)"?'
                            r'\s*,\s*"y"\s*:\s*"?([\d.]+)', text)
        for file, x, y in pieces:
            piece = Image.open(folder / file).convert("RGBA")
            cx, cy = float(x) * width, float(y) * height
            canvas.alpha_composite(piece, (round(cx - piece.width / 2),
                                           round(cy - piece.height / 2)))
        bbox = canvas.getchannel("A").point(lambda a: 255 if a > 128 else 0).getbbox()
        yield title, flatten(canvas.crop(bbox)), board.name


def _details(folder: Path, candidate: Callable[..., Candidate]) -> Iterator[Candidate]:
    """The "details" activity: whole paintings and monument photos (its *_background files)."""
    titles = {}
    for board in folder.glob("board/*.qml"):
        text = board.read_text()
        title = re.search(r'qsTr\("([^"]+)"\)', text)
        background = re.search(r'"pixmapfile"\s*:\s*"image/([^"]+_background\.webp)"', text)
        if title and background:
            titles[background.group(1)] = title.group(1)
    for path in sorted(folder.glob("image/*_background.webp")):
        title = titles.get(path.name, path.stem)
        kind = "paintings" if "Gogh" in title else "photos"
        yield candidate(kind, path, title, name="gcompris--" + slug(title))
