"""Bounds every request is checked against before it reaches SQLite or a pipeline."""

import dataclasses
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import Path
from pydantic import ConfigDict
from pydantic_core import PydanticCustomError, core_schema

MAX_ID = 2**63 - 1
"""SQLite's largest integer: a larger id is a 422, not an OverflowError."""

Id = Annotated[int, Path(ge=0, le=MAX_ID)]
"""A catalog id in a route's path."""

STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)
"""Request bodies: no unknown fields, no NaN or infinite numbers (JSON has none)."""


@dataclasses.dataclass(frozen=True)
class OneOf:
    """`Annotated[str, OneOf(names)]`: a string among `names()`, a Literal whose values are
    read at each request and when the schema is written, so that a medium added to
    `artforge.media.MEDIA` after the studio was imported is among them. None passes (an
    optional query left out)."""

    names: Callable[[], Iterable[str]]

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        described = handler(schema)
        described["enum"] = list(self.names())
        return described

    def _check(self, value: str | None) -> str | None:
        known = list(self.names())
        if value is not None and value not in known:
            raise PydanticCustomError("literal_error", "Input should be one of {expected}",
                                      {"expected": ", ".join(repr(name) for name in known)})
        return value
