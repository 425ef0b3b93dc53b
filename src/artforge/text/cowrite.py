"""A co-written text: the artist's words and the suggestions they accepted, saved as one work.

Its catalog row keeps the final text and the history of the writing (each accepted
suggestion, with the settings and seed that proposed it), so the machine's part can be
traced; `artforge catalog reproduce` writes the recorded text again.
"""

import secrets
import sqlite3
import time
from pathlib import Path
from typing import Any

from artforge.core.atomic import write_text
from artforge.core.registry import PIPELINES

COWRITE_PIPELINE = "studio.cowrite"
"""The catalog's name for co-written texts (the studio made the first ones)."""


def _body(text: str) -> str:
    return text.replace("\r\n", "\n").rstrip("\n") + "\n"


def save_cowritten(conn: sqlite3.Connection, works_dir: Path, params: dict[str, Any],
                   model_path: str | None) -> int:
    """Write `params["text"]` under `works_dir` and catalogue it with `params` (title, text,
    accepted steps, model id); returns the work id."""
    from artforge.catalog import records

    name = f"text-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}.txt"
    path = works_dir / name
    write_text(path, _body(params["text"]))
    return records.record_work("text", COWRITE_PIPELINE, params, None, path,
                               model_path=model_path, command="artforge studio (co-written)",
                               conn=conn)


@PIPELINES.register(COWRITE_PIPELINE)
def reproduce_text(params: dict[str, Any], seed: int | None, model_path: str | None,
                   out: Path) -> Path:
    write_text(Path(out), _body(params["text"]))
    return Path(out)
