"""Bounds every request is checked against before it reaches SQLite or a pipeline."""

from typing import Annotated

from fastapi import Path
from pydantic import ConfigDict

MAX_ID = 2**63 - 1
"""SQLite's largest integer: a larger id is a 422, not an OverflowError."""

Id = Annotated[int, Path(ge=0, le=MAX_ID)]
"""A catalog id in a route's path."""

STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)
"""Request bodies: no unknown fields, no NaN or infinite numbers (JSON has none)."""
