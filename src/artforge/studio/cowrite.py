"""The studio's request to save a co-written text (artforge.text.cowrite saves it)."""

import json
import sqlite3
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator

from artforge.studio.limits import MAX_ID, STRICT

MAX_SETTINGS_BYTES = 8192
"""A suggestion request's settings are a few numbers and a prompt: more is not settings."""


class Step(BaseModel):
    model_config = STRICT
    settings: dict[str, Any] = Field(description="The suggestion request that proposed it.")

    @field_validator("settings")
    @classmethod
    def _small(cls, settings: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(settings, ensure_ascii=False).encode()) > MAX_SETTINGS_BYTES:
            raise ValueError(f"settings of a step take at most {MAX_SETTINGS_BYTES} bytes")
        return settings

    seed: int = Field(ge=0, le=2**31 - 1, description="The seed of the accepted suggestion.")
    proposed: str = Field(max_length=4000, description="The suggestion as the model wrote it.")


class PoemRequest(BaseModel):
    """Save the text being written to the gallery."""

    model_config = STRICT
    text: str = Field(min_length=1, max_length=20_000)
    title: str = Field("", max_length=120)
    model: int | None = Field(None, ge=0, le=MAX_ID,
                              description="The text model that made the suggestions.")
    steps: list[Step] = Field([], max_length=200, description="Accepted suggestions, in order.")


def save_poem(conn: sqlite3.Connection, works_dir: Path, request: PoemRequest,
              model_path: str | None) -> int:
    """Write the text under the studio's works folder and catalogue it; returns the work id."""
    from artforge.text.cowrite import save_cowritten

    params = {"title": request.title, "text": request.text,
              "steps": [step.model_dump() for step in request.steps], "model": request.model}
    return save_cowritten(conn, works_dir, params, model_path)
