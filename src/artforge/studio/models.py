"""The models one can create with: the catalog's saved models whose folders still exist."""

import functools
import json
import sqlite3
from pathlib import Path
from typing import Any

from artforge import media
from artforge.studio.problems import Problem

RUN_DIR = "run"
"""A studio training job trains into this folder of its job folder."""


def medium_of_kind() -> dict[str, str]:
    """Model kinds → the studio tab (a feature of a medium) that creates with them; kinds no
    feature names (the piano-roll scorer, the toy field) make nothing there."""
    return {kind: feature.name for feature in media.features() for kind in feature.model_kinds}


def model_tabs() -> list[str]:
    """The tabs that create with models (what `GET /api/models?medium=` takes)."""
    return [feature.name for feature in media.features() if feature.model_kinds]


def list_models(conn: sqlite3.Connection, jobs_dir: Path, medium: str | None = None
                ) -> list[dict[str, Any]]:
    """The models artforge ships, then the user's, newest first; one entry per folder (the
    newest row), named after its training job or its run folder (builtin:NAME if shipped)."""
    shipped = _register_shipped(conn)
    rows = conn.execute(
        "SELECT models.id, models.kind, models.path, models.created, models.folder_hash, "
        "runs.out_dir, runs.status AS run_status, runs.metrics FROM models "
        "LEFT JOIN runs ON runs.id = models.run_id ORDER BY models.id DESC").fetchall()
    names = _job_names(conn, jobs_dir) | shipped
    seen: set[str] = set()
    found, tabs = [], medium_of_kind()
    for row in rows:
        kind_medium = tabs.get(row["kind"])
        if row["path"] in seen or kind_medium is None or medium not in (None, kind_medium):
            continue
        seen.add(row["path"])
        if not Path(row["path"]).is_dir():
            continue
        found.append(_describe(dict(row), kind_medium, names))
    # The shipped models first, in the media's order (the 2-bar VAE before the 16-bar one: it
    # blends melodies of any length), then the user's, newest first.
    order = list(shipped)
    return sorted(found, key=lambda m: order.index(m["path"]) if m["path"] in order
                  else len(order))


def _describe(row: dict[str, Any], medium: str, names: dict[str, str]) -> dict[str, Any]:
    path = Path(row["path"])
    run = Path(row["out_dir"]) if row["out_dir"] else path
    step = path.name.removeprefix("step-").lstrip("0") if path.name.startswith("step-") else ""
    name = names.get(str(run)) or run.name
    metrics = json.loads(row["metrics"]) if row["metrics"] else {}
    loss = metrics.get("val_loss", metrics.get("loss"))
    described = {"id": row["id"], "kind": row["kind"], "medium": medium, "name": name,
                 "step": int(step) if step.isdigit() else None, "created": row["created"],
                 "loss": loss, "path": str(path), "hash": row["folder_hash"][:12]}
    if medium == "sketch":
        described["hints"] = _reads_hints(path)
    return described


def _register_shipped(conn: sqlite3.Connection) -> dict[str, str]:
    """Put the shipped models that the studio's tabs use (every medium's shipped models of a
    kind a tab creates with) in the catalog, once, so that they can be picked by id
    like trained ones; their folders → builtin:NAME."""
    from artforge.catalog.records import record_model

    folders = {}
    for name, folder, header in _shipped_for_tabs():
        folders[str(folder)] = name
        known = conn.execute("SELECT 1 FROM models WHERE path = ?", (str(folder),)).fetchone()
        if known is None:
            record_model(None, folder, header["kind"], header["config"], conn)
    return folders


@functools.cache
def _shipped_for_tabs() -> tuple[tuple[str, Path, dict[str, Any]], ...]:
    """(builtin:NAME, folder, header) of each shipped model a tab uses: read once a process,
    not at every listing (the package's folders do not change while it runs)."""
    from artforge.core import checkpoint
    from artforge.data.shipped_models import shipped_folder

    found, tabs = [], medium_of_kind()
    for shipped in media.shipped_models():
        folder = shipped_folder(shipped).resolve()
        if folder.is_dir():
            header = checkpoint.read_header(folder)
            if header["kind"] in tabs:
                found.append((shipped.name, folder, header))
    return tuple(found)


def _reads_hints(path: Path) -> bool:
    """Whether a pix2pix folder's model reads colour hints (folders saved before: no)."""
    from artforge.core import checkpoint

    try:
        return bool(checkpoint.read_header(path)["config"].get("hints", False))
    except (OSError, ValueError, KeyError):
        return False


def _job_names(conn: sqlite3.Connection, jobs_dir: Path) -> dict[str, str]:
    """Run folder → the name the user gave its studio training job."""
    rows = conn.execute("SELECT id, json_extract(params, '$.name') AS name FROM jobs "
                        "WHERE kind = 'train'")
    return {str(jobs_dir / str(row["id"]) / RUN_DIR): row["name"] for row in rows if row["name"]}


def model_path(conn: sqlite3.Connection, model_id: int, medium: str) -> Path:
    """The folder of catalog model `model_id`, which must be a `medium` model."""
    row = conn.execute("SELECT kind, path FROM models WHERE id = ?", (model_id,)).fetchone()
    if row is None:
        raise Problem(404, f"there is no model with id {model_id}; pick one from the list.")
    if medium_of_kind().get(row["kind"]) != medium:
        raise Problem(400, f"model {model_id} is a {row['kind']} model, which does not make "
                           f"{medium}.")
    if not Path(row["path"]).is_dir():
        raise Problem(410, f"the folder of model {model_id} ({row['path']}) is gone.")
    return Path(row["path"])
