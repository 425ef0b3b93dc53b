"""Dataclass configs that round-trip through JSON and reject what they do not know."""

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any, Self

from artforge.errors import UserError


@dataclasses.dataclass
class Config:
    """Base for every model and training config: `to_dict`/`from_dict`, `to_json`/`from_json`."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise UserError(
                f"{cls.__name__} does not know the option(s) {', '.join(unknown)}; "
                f"known: {', '.join(fields)}."
            )
        hints = typing.get_type_hints(cls)
        return cls(**{name: _coerce(hints[name], value) for name, value in data.items()})

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Self:
        return cls.from_dict(json.loads(text))

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)

    def save(self, path: Path) -> None:
        Path(path).write_text(self.to_json() + "\n")


def _coerce(hint: Any, value: Any) -> Any:
    """JSON has lists where configs have tuples, and dicts where configs nest dataclasses."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        non_none = [h for h in typing.get_args(hint) if h is not type(None)]
        return value if value is None or len(non_none) != 1 else _coerce(non_none[0], value)
    if isinstance(hint, type) and issubclass(hint, Config) and isinstance(value, dict):
        return hint.from_dict(value)
    if typing.get_origin(hint) is tuple and isinstance(value, list):
        return tuple(value)
    return value
