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

from pydantic import BaseModel, ConfigDict, Field

from artforge.core.atomic import write_text
from artforge.core.registry import PIPELINES

COWRITE_PIPELINE = "studio.cowrite"


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")
    settings: dict[str, Any] = Field(description="The suggestion request that proposed it.")
    seed: int = Field(ge=0, le=2**31 - 1, description="The seed of the accepted suggestion.")
    proposed: str = Field(max_length=4000, description="The suggestion as the model wrote it.")


class PoemRequest(BaseModel):
    """Save the text being written to the gallery."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=20_000)
    title: str = Field("", max_length=120)
    model: int | None = Field(None, description="The text model that made the suggestions.")
    steps: list[Step] = Field([], max_length=200, description="Accepted suggestions, in order.")


def _body(text: str) -> str:
    return text.replace("\r\n", "\n").rstrip("\n") + "\n"


def save_poem(conn: sqlite3.Connection, works_dir: Path, request: PoemRequest,
              model_path: str | None) -> int:
    """Write the text under the studio's works folder and catalogue it; returns the work id."""
    from artforge.catalog import records

    name = f"text-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}.txt"
    path = works_dir / name
    write_text(path, _body(request.text))
    params = {"title": request.title, "text": request.text,
              "steps": [step.model_dump() for step in request.steps], "model": request.model}
    return records.record_work("text", COWRITE_PIPELINE, params, None, path,
                               model_path=model_path, command="artforge studio (co-written)",
                               conn=conn)


@PIPELINES.register(COWRITE_PIPELINE)
def reproduce_text(params: dict[str, Any], seed: int | None, model_path: str | None,
                   out: Path) -> Path:
    write_text(Path(out), _body(params["text"]))
    return Path(out)
