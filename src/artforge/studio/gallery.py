"""The gallery: catalogued works as the page shows them, with their provenance, the settings
to remix them, files served only from the artforge home, and deletion.

A music piece is one work with its audio and piano roll as companions (the library catalogues
the three files separately, at the same path with another suffix).
"""

import sqlite3
from pathlib import Path
from typing import Any

from artforge.catalog import records
from artforge.studio.problems import Problem
from artforge.studio.remix import remix_settings

FILE_TYPES = {".png": "image", ".jpg": "image", ".jpeg": "image", ".gif": "image",
              ".webp": "image", ".wav": "audio", ".mid": "midi", ".midi": "midi", ".txt": "text",
              ".mp4": "video", ".webm": "video"}
COMPANIONS = (".wav", ".png")
TEXT_PREVIEW_CHARS = 4000
SCAN_FACTOR = 3
"""Rows read per work shown, so that companions group with their piece."""


def served_file(path: str | Path, home: Path) -> Path | None:
    """`path` when it is a file inside the artforge home (links resolved), else None."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(home.resolve()) and resolved.is_file():
        return resolved
    return None


def _file_info(work: dict[str, Any], home: Path) -> dict[str, Any]:
    path = Path(work["path"])
    served = served_file(path, home)
    return {"work_id": work["id"], "name": path.name,
            "type": FILE_TYPES.get(path.suffix.lower(), "file"), "served": served is not None,
            "url": f"/api/works/{work['id']}/file" if served is not None else None}


def _companions(work: dict[str, Any], by_path: dict[str, dict[str, Any]]) -> list[dict]:
    if work["medium"] != "music":
        return []
    path = Path(work["path"])
    return [by_path[p] for p in (str(path.with_suffix(s)) for s in COMPANIONS) if p in by_path]


def list_gallery(conn: sqlite3.Connection, home: Path, media: set[str] | None = None,
                 limit: int = 60) -> list[dict[str, Any]]:
    """The newest works first (of `media` only, when given), companions folded into their
    piece."""
    rows = records.list_works(limit=limit * SCAN_FACTOR, conn=conn)
    by_path = {row["path"]: row for row in rows}
    folded = {c["id"] for row in rows for c in _companions(row, by_path)}
    shown = [row for row in rows if row["id"] not in folded
             and (media is None or row["medium"] in media)][:limit]
    return [describe(row, home, _companions(row, by_path)) for row in shown]


def describe(work: dict[str, Any], home: Path, companions: list[dict] | None = None
             ) -> dict[str, Any]:
    view = {key: work[key] for key in ("id", "medium", "pipeline", "params", "seed", "created",
                                       "command", "versions", "model_path", "model_hash",
                                       "model_id", "file_sha256")}
    view["file"] = _file_info(work, home)
    view["companions"] = [_file_info(c, home) for c in companions or []]
    view["text"] = _text_preview(work, home)
    view["remix"] = remix_settings(work)
    return view


def _text_preview(work: dict[str, Any], home: Path) -> str | None:
    served = served_file(work["path"], home)
    if served is None or served.suffix.lower() != ".txt":
        return None
    with open(served, encoding="utf-8", errors="replace") as handle:
        return handle.read(TEXT_PREVIEW_CHARS)


def _companions_of(conn: sqlite3.Connection, work: dict[str, Any]) -> list[dict[str, Any]]:
    path = Path(work["path"])
    wanted = [str(path.with_suffix(suffix)) for suffix in COMPANIONS]
    rows = conn.execute("SELECT id, path FROM works WHERE path IN (?, ?) ORDER BY id",
                        wanted).fetchall()
    found = {row["path"]: records.get_work(row["id"], conn=conn) for row in rows}
    return _companions(work, found)


def get_described(conn: sqlite3.Connection, home: Path, work_id: int) -> dict[str, Any]:
    work = _get(conn, work_id)
    return describe(work, home, _companions_of(conn, work))


def _get(conn: sqlite3.Connection, work_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT id FROM works WHERE id = ?", (work_id,)).fetchone()
    if row is None:
        raise Problem(404, f"there is no work with id {work_id}.")
    return records.get_work(work_id, conn=conn)


def work_file(conn: sqlite3.Connection, home: Path, work_id: int) -> Path:
    work = _get(conn, work_id)
    served = served_file(work["path"], home)
    if served is None:
        if not Path(work["path"]).exists():
            raise Problem(404, f"the file of work {work_id} is no longer there.")
        raise Problem(403, f"the file of work {work_id} lies outside the artforge home, so the "
                           "studio does not serve it.")
    return served


def delete_work(conn: sqlite3.Connection, home: Path, studio_dir: Path, work_id: int
                ) -> dict[str, Any]:
    """Remove the work (and its companions) from the catalog; delete the files the studio
    made (under its folder), keep any others."""
    work = _get(conn, work_id)
    group = [work, *_companions_of(conn, work)]
    removed, kept = [], []
    for row in group:
        records.delete_work(row["id"], conn=conn)
        path = Path(row["path"])
        if path.resolve().is_relative_to(studio_dir.resolve()) and path.is_file():
            path.unlink()
            removed.append(path.name)
        elif path.exists():
            kept.append(str(path))
    return {"deleted": [row["id"] for row in group], "files_removed": removed,
            "files_kept": kept}
