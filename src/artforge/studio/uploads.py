"""Uploads: size-limited, checked by decoding, stored under names the studio makes.

A user's file name is kept only as a label; the file lives at `uploads/<random id>/file.<ext>`
where the extension comes from what the content turned out to be. Zips are unpacked at once
into `uploads/<id>/files/`, entry by entry, refusing names that climb out of that folder.
"""

import json
import re
import secrets
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, BinaryIO

from artforge.core.atomic import write_text
from artforge.studio.problems import Problem
from artforge.studio.settings import StudioSettings

KINDS = ("image", "midi", "zip", "video", "text")
MAX_NAME_BYTES = 255
"""The longest file or folder name most file systems take."""
ID_PATTERN = re.compile(r"[0-9a-f]{32}")
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "BMP": "bmp", "GIF": "gif",
                 "TIFF": "tif"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}
MUSIC_SUFFIXES = {".mid", ".midi", ".xml", ".musicxml", ".mxl", ".abc"}
TEXT_SUFFIXES = {".txt", ".md", ".text", ".rst"}
MAX_ZIP_ENTRIES = 20_000
CHUNK = 1 << 20


def label(name: str | None) -> str:
    """A display name: the last part of any path, without control characters, 120 at most."""
    base = PureWindowsPath(PurePosixPath(name or "upload").name).name
    return "".join(ch for ch in base if ch.isprintable())[:120] or "upload"


def save_upload(settings: StudioSettings, kind: str, name: str | None, source: BinaryIO
                ) -> dict[str, Any]:
    """Copy `source` (at most the upload limit), check it decodes as `kind`, keep it."""
    if kind not in KINDS:
        raise Problem(400, f"unknown upload kind {kind!r}; choose one of {', '.join(KINDS)}.")
    upload_id = secrets.token_hex(16)
    folder = settings.uploads_dir / upload_id
    folder.mkdir(parents=True)
    try:
        raw = folder / "incoming"
        size = _copy_limited(source, raw, settings.max_upload_bytes)
        if size == 0:
            raise Problem(400, "the uploaded file is empty.")
        meta = CHECKS[kind](raw, folder, settings)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    meta.update({"id": upload_id, "kind": kind, "name": label(name), "size": size})
    write_text(folder / "meta.json", json.dumps(meta, sort_keys=True))
    return meta


def _copy_limited(source: BinaryIO, target: Path, limit: int) -> int:
    size = 0
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise Problem(413, f"the file is larger than the upload limit of "
                                   f"{limit / 1024 / 1024:.0f} MB.")
            out.write(chunk)
    return size


def get_upload(settings: StudioSettings, upload_id: str, kinds: tuple[str, ...]
               ) -> dict[str, Any]:
    """The upload's record, with "path" (a file, or the unpacked folder of a zip)."""
    if not isinstance(upload_id, str) or not ID_PATTERN.fullmatch(upload_id):
        raise Problem(400, "that is not an upload id.")
    meta_file = settings.uploads_dir / upload_id / "meta.json"
    if not meta_file.is_file():
        raise Problem(404, "that upload was not found; upload the file again.")
    meta = json.loads(meta_file.read_text())
    if meta["kind"] not in kinds:
        raise Problem(400, f"upload {meta['name']!r} is a {meta['kind']} file; this needs "
                           f"{' or '.join(kinds)}.")
    meta["path"] = str(settings.uploads_dir / upload_id / meta["file"])
    return meta


# Checks: each reads `raw`, leaves the kept file in `folder` and returns what it learned -------
def _check_image(raw: Path, folder: Path, settings: StudioSettings) -> dict[str, Any]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(raw) as image:
            fmt, (width, height) = image.format, image.size
            if width * height > settings.max_pixels:
                raise Problem(413, f"the picture is {width}×{height}; the studio takes at most "
                                   f"{settings.max_pixels / 1e6:g} megapixels.")
            if fmt not in IMAGE_FORMATS:
                raise Problem(415, f"{fmt} pictures are not supported; use PNG, JPEG or WebP.")
            image.load()
    except Image.DecompressionBombError:  # Pillow refuses to open it at all
        raise Problem(413, f"the picture has more than {Image.MAX_IMAGE_PIXELS * 2 / 1e6:.0f} "
                           f"megapixels; the studio takes at most "
                           f"{settings.max_pixels / 1e6:g} megapixels.") from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise Problem(415, "the file is not a picture the studio can read (PNG, JPEG, WebP, "
                           "BMP, GIF or TIFF).") from None
    return _keep(raw, folder, IMAGE_FORMATS[fmt]) | {"width": width, "height": height}


def _check_midi(raw: Path, folder: Path, settings: StudioSettings) -> dict[str, Any]:
    import mido

    try:
        midi = mido.MidiFile(raw)
        notes = sum(1 for track in midi.tracks for m in track
                    if m.type == "note_on" and m.velocity > 0)
    except Exception:  # mido raises many kinds (OSError, EOFError, ValueError, KeyError...)
        raise Problem(415, "the file is not a MIDI file the studio can read.") from None
    if notes == 0:
        raise Problem(400, "the MIDI file has no notes to continue.")
    return _keep(raw, folder, "mid") | {"notes": notes}


def _check_text(raw: Path, folder: Path, settings: StudioSettings) -> dict[str, Any]:
    try:
        text = raw.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problem(415, "the text file is not UTF-8 text.") from None
    if not text.strip():
        raise Problem(400, "the text file holds no text.")
    return _keep(raw, folder, "txt") | {"characters": len(text)}


VIDEO_MAGIC = ((4, b"ftyp", "mp4"), (0, b"\x1a\x45\xdf\xa3", "webm"), (8, b"AVI ", "avi"),
               (0, b"GIF8", "gif"))


def _check_video(raw: Path, folder: Path, settings: StudioSettings) -> dict[str, Any]:
    head = _head(raw)
    suffix = next((s for at, magic, s in VIDEO_MAGIC if head[at:at + len(magic)] == magic), None)
    if suffix is None:
        raise Problem(415, "the file is not a video the studio can read (MP4, MOV, WebM, AVI "
                           "or GIF).")
    kept = _keep(raw, folder, suffix)
    try:
        import imageio.v3 as iio

        properties = iio.improps(folder / kept["file"], index=0)
        height, width = properties.shape[:2]
    except Exception:  # the ffmpeg plugin raises many kinds on a damaged file
        raise Problem(415, "the video could not be decoded; it may be damaged.") from None
    return kept | {"width": int(width), "height": int(height)}


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(16)


def _keep(raw: Path, folder: Path, suffix: str) -> dict[str, Any]:
    name = f"file.{suffix}"
    raw.rename(folder / name)
    return {"file": name}


# Zips -------------------------------------------------------------------------------------------
def _check_zip(raw: Path, folder: Path, settings: StudioSettings) -> dict[str, Any]:
    if not zipfile.is_zipfile(raw):
        raise Problem(415, "the file is not a zip archive.")
    target = folder / "files"
    target.mkdir()
    counts = {"images": 0, "music": 0, "texts": 0, "other": 0}
    try:
        with zipfile.ZipFile(raw) as archive:
            entries = _safe_entries(archive, settings.max_unpacked_bytes)
            for info, parts in entries:
                path = target.joinpath(*parts)
                path.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, open(path, "wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                counts[_family(path)] += 1
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError,
            RuntimeError) as exc:
        raise Problem(415, f"the zip archive is damaged or uses an unsupported format "
                           f"({exc}).") from None
    except OSError as exc:  # a layout this file system refuses, or a full disk
        raise Problem(400, f"the zip archive cannot be unpacked here ({exc.strerror or exc})."
                      ) from None
    raw.unlink()
    if sum(counts.values()) == 0:
        raise Problem(400, "the zip archive holds no files.")
    return {"file": "files", **counts}


def _safe_entries(archive: zipfile.ZipFile, limit: int) -> list[tuple[zipfile.ZipInfo, list]]:
    """The regular files to unpack, as (entry, path parts); refuses names that climb out."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise Problem(413, f"the zip holds {len(infos)} entries; the studio takes at most "
                           f"{MAX_ZIP_ENTRIES}.")
    entries, total = [], 0
    files: set[str] = set()
    folders: set[str] = set()
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if name.startswith("/") or ".." in parts or re.match(r"[A-Za-z]:", name) or "\0" in name:
            raise Problem(400, f"the zip holds an entry whose name points outside it "
                               f"({label(info.filename)!r}); the studio does not unpack it.")
        mode = info.external_attr >> 16
        if info.is_dir() or stat.S_ISLNK(mode) or not parts:
            continue
        if parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts):
            continue  # resource forks and hidden files are not data
        if any(len(p.encode()) > MAX_NAME_BYTES for p in parts):
            raise Problem(400, f"the zip holds an entry with a name over {MAX_NAME_BYTES} "
                               f"bytes ({label(info.filename)[:40]!r}...).")
        key = "/".join(parts)
        if key in files or key in folders or any("/".join(parts[:i]) in files
                                                 for i in range(1, len(parts))):
            raise Problem(400, f"the zip holds {label(info.filename)!r} twice, or as both a "
                               "file and a folder; the studio does not unpack it.")
        files.add(key)
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
        total += info.file_size
        if total > limit:
            raise Problem(413, f"the zip unpacks to more than {limit / 1024 / 1024:.0f} MB.")
        entries.append((info, parts))
    return entries


def _family(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "images"
    if suffix in MUSIC_SUFFIXES:
        return "music"
    return "texts" if suffix in TEXT_SUFFIXES else "other"


CHECKS = {"image": _check_image, "midi": _check_midi, "text": _check_text,
          "video": _check_video, "zip": _check_zip}

