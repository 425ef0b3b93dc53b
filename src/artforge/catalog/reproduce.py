"""Re-create a catalogued work from its row and say whether the new file is byte-identical."""

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from artforge.catalog.records import file_sha256, get_work
from artforge.core.registry import PIPELINES
from artforge.errors import UserError

REPRODUCED_TAG = ".reproduced"


def default_out_path(original: Path) -> Path:
    """`works/a.png` -> `works/a.reproduced.png`: beside the original, never over it."""
    return original.with_name(original.stem + REPRODUCED_TAG + original.suffix)


def reproduce(
    work_id: int, out: Path | None = None, conn: sqlite3.Connection | None = None
) -> dict[str, Any]:
    """Run the work's pipeline again with its recorded parameters, seed and model.

    Returns {"work_id", "path", "identical", "model_changed"}: `identical` compares the new
    file's sha256 with the recorded one; `model_changed` says whether the model folder's hash
    differs from the one recorded (False when the work used no model).
    """
    # 1. Look up the work and the pipeline that made it.
    work = get_work(work_id, conn=conn)
    make = _pipeline(work)
    # 2. Check the model is still there before spending time on the pipeline.
    model_changed = _model_changed(work)
    original = Path(work["path"])
    out_path = Path(out) if out is not None else default_out_path(original)
    if out_path.resolve() == original.resolve():
        raise UserError(f"{out_path} is the original work; choose another --out path.")
    # 3. Make it again and compare.
    out_path.parent.mkdir(parents=True, exist_ok=True)
    made = make(work["params"], work["seed"], work["model_path"], out_path)
    new_path = Path(made) if made is not None else out_path
    return {
        "work_id": work["id"],
        "path": str(new_path),
        "identical": file_sha256(new_path) == work["file_sha256"],
        "model_changed": model_changed,
    }


def _pipeline(work: dict[str, Any]) -> Callable[..., Path | None]:
    try:
        return PIPELINES.get(work["pipeline"])
    except ValueError:
        known = ", ".join(PIPELINES.names()) or "none"
        raise UserError(
            f"work {work['id']} was made by pipeline {work['pipeline']!r}, which this artforge "
            f"does not have (known: {known})."
        ) from None


def _model_changed(work: dict[str, Any]) -> bool:
    if work["model_path"] is None:
        return False
    folder = Path(work["model_path"])
    if not folder.is_dir():
        if work["params"].get("builtin_model"):  # a shipped model: found again by its name
            return True
        raise UserError(f"work {work['id']} needs the model folder {folder}, which is missing.")
    from artforge.core.checkpoint import folder_hash

    return folder_hash(folder) != work["model_hash"]
