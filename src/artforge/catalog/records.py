"""Catalog rows: runs (training or generation jobs), the models they saved and the works made.

Every function takes an optional `conn`; without it the default catalog is opened for the call.
Rows come back as plain dicts with the JSON columns already decoded.
"""

import hashlib
import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from artforge.catalog.db import connection
from artforge.core.versions import package_versions
from artforge.errors import UserError

JSON_COLUMNS = ("params", "versions", "metrics", "config")
SQLITE_INT_RANGE = (-(2**63), 2**63 - 1)


def to_json(value: Any) -> str:
    """The one JSON encoding the catalog and the provenance inside files share.

    ASCII-only, because MIDI text events are Latin-1 in practice; `json.loads` restores the rest.
    """
    return json.dumps(value, sort_keys=True, default=_jsonable)


def _jsonable(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "item"):  # numpy and torch scalars
        return value.item()
    raise TypeError(f"a {type(value).__name__} cannot be stored in the catalog as JSON")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise UserError(f"cannot read {path} ({exc.strerror or exc}).") from None
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_seed(seed: int | None) -> None:
    low, high = SQLITE_INT_RANGE
    if seed is not None and not low <= seed <= high:
        raise UserError(f"seed {seed} is out of range; use a whole number below 2**63.")


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    record = dict(row)
    for column in JSON_COLUMNS:
        if record.get(column) is not None:
            record[column] = json.loads(record[column])
    return record


def _get(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any]:
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if row is None:
        raise UserError(f"there is no {table[:-1]} with id {row_id} in the catalog.")
    return _decode(row)


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values())
    )
    return cursor.lastrowid


def record_run(
    kind: str,
    command: str | None,
    params: dict[str, Any],
    seed: int | None,
    out_dir: Path | None,
    conn: sqlite3.Connection | None = None,
) -> int:
    """Add a run in status "running"; call `finish_run` when it ends.

    An earlier run into the same `out_dir` that is still "running" was killed before it could
    say so (kill -9, power loss): it is marked "interrupted".
    """
    _check_seed(seed)
    values = {
        "kind": kind,
        "command": command,
        "params": to_json(params),
        "seed": seed,
        "out_dir": str(Path(out_dir).resolve()) if out_dir is not None else None,
        "status": "running",
        "started": _now(),
        "versions": to_json(package_versions()),
    }
    with connection(conn) as db:
        if values["out_dir"] is not None:
            db.execute("UPDATE runs SET status = 'interrupted' WHERE out_dir = ? AND "
                       "status = 'running'", (values["out_dir"],))
        return _insert(db, "runs", values)


def finish_run(
    run_id: int,
    status: str,
    metrics: dict[str, Any] | None = None,
    conn: sqlite3.Connection | None = None,
) -> None:
    """Mark a run ended; `status` says how (e.g. "steps", "minutes", "signal", "failed")."""
    with connection(conn) as db:
        _get(db, "runs", run_id)
        db.execute(
            "UPDATE runs SET status = ?, finished = ?, metrics = ? WHERE id = ?",
            (status, _now(), to_json(metrics) if metrics is not None else None, run_id),
        )


def record_model(
    run_id: int | None,
    path: Path,
    kind: str,
    config: dict[str, Any],
    conn: sqlite3.Connection | None = None,
) -> int:
    """Add a saved model folder; its `folder_hash` links later works to it."""
    from artforge.core.checkpoint_layout import folder_hash

    values = {
        "run_id": run_id,
        "kind": kind,
        "path": str(Path(path).resolve()),
        "folder_hash": folder_hash(Path(path)),
        "config": to_json(config),
        "created": _now(),
    }
    with connection(conn) as db:
        if run_id is not None:
            _get(db, "runs", run_id)
        return _insert(db, "models", values)


def record_work(
    medium: str,
    pipeline: str,
    params: dict[str, Any],
    seed: int | None,
    path: Path,
    model_path: Path | None = None,
    run_id: int | None = None,
    command: str | None = None,
    conn: sqlite3.Connection | None = None,
    model_hash: str | None = None,
) -> int:
    """Add a created file with everything needed to make it again (`reproduce`).

    `model_hash`: the `folder_hash` of `model_path` when the caller has it already (a folder of
    works by one model hashes its weights once).
    """
    _check_seed(seed)
    values = {
        "run_id": run_id,
        "medium": medium,
        "pipeline": pipeline,
        "params": to_json(params),
        "seed": seed,
        "path": str(Path(path).resolve()),
        "file_sha256": file_sha256(Path(path)),
        "model_path": None,
        "model_hash": None,
        "created": _now(),
        "versions": to_json(package_versions()),
        "command": command,
    }
    if model_path is not None:
        from artforge.core.checkpoint_layout import folder_hash, resolve

        folder = resolve(Path(model_path)).resolve()
        values["model_path"] = str(folder)
        values["model_hash"] = model_hash or folder_hash(folder)
    with connection(conn) as db:
        if run_id is not None:
            _get(db, "runs", run_id)
        values["model_id"] = _model_id(db, values["model_hash"])
        return _insert(db, "works", values)


def _model_id(conn: sqlite3.Connection, model_hash: str | None) -> int | None:
    if model_hash is None:
        return None
    row = conn.execute(
        "SELECT id FROM models WHERE folder_hash = ? ORDER BY id DESC LIMIT 1", (model_hash,)
    ).fetchone()
    return row["id"] if row is not None else None


def get_run(run_id: int, conn: sqlite3.Connection | None = None) -> dict[str, Any]:
    with connection(conn) as db:
        return _get(db, "runs", run_id)


def get_model(model_id: int, conn: sqlite3.Connection | None = None) -> dict[str, Any]:
    with connection(conn) as db:
        return _get(db, "models", model_id)


def get_work(work_id: int, conn: sqlite3.Connection | None = None) -> dict[str, Any]:
    with connection(conn) as db:
        return _get(db, "works", work_id)


def delete_work(work_id: int, conn: sqlite3.Connection | None = None) -> dict[str, Any]:
    """Remove a work's row (not its file) and return the row as it was."""
    with connection(conn) as db:
        work = _get(db, "works", work_id)
        db.execute("DELETE FROM works WHERE id = ?", (work_id,))
        return work


def _check_limit(limit: int) -> None:
    if limit < 1:
        raise UserError(f"--limit must be at least 1, not {limit}.")


def list_works(
    limit: int = 50, medium: str | None = None, conn: sqlite3.Connection | None = None
) -> list[dict[str, Any]]:
    """The newest works first, optionally of one medium only."""
    _check_limit(limit)
    where, args = ("WHERE medium = ?", (medium,)) if medium is not None else ("", ())
    query = f"SELECT * FROM works {where} ORDER BY created DESC, id DESC LIMIT ?"
    with connection(conn) as db:
        return [_decode(row) for row in db.execute(query, (*args, limit))]


def list_runs(limit: int = 50, conn: sqlite3.Connection | None = None) -> list[dict[str, Any]]:
    """The newest runs first."""
    _check_limit(limit)
    query = "SELECT * FROM runs ORDER BY started DESC, id DESC LIMIT ?"
    with connection(conn) as db:
        return [_decode(row) for row in db.execute(query, (limit,))]
