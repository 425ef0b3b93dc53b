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
    """Base for every model and training config: `to_dict`/`from_dict`, `to_json`/`from_json`.

    A config is validated once, when it is made (`validate`, from `__post_init__`; `replace`
    makes a new one): code that receives a config does not check it again."""

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise a UserError naming the first field whose value cannot work (`require`)."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        if not isinstance(data, dict):
            raise UserError(f"{cls.__name__} must be a JSON object, not {json.dumps(data)[:40]}.")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise UserError(
                f"{cls.__name__} does not know the option(s) {', '.join(unknown)}; "
                f"known: {', '.join(fields)}."
            )
        hints = typing.get_type_hints(cls)
        values = {name: _coerce(hints[name], value, f"{cls.__name__}.{name}")
                  for name, value in data.items()}
        return cls(**values)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Self:
        return cls.from_dict(json.loads(text))

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)

    def save(self, path: Path) -> None:
        Path(path).write_text(self.to_json() + "\n")


def require(checks: list[tuple[bool, str]]) -> None:
    """Raise a UserError with the message of the first check that failed (configs' validate)."""
    for ok, message in checks:
        if not ok:
            raise UserError(message + ".")


_SCALARS: dict[type, tuple[type, ...]] = {bool: (bool,), int: (int,), float: (int, float),
                                         str: (str,)}


def _coerce(hint: Any, value: Any, where: str) -> Any:
    """Check `value` against the field's type hint, converting what JSON cannot express
    (tuples, nested configs); a mismatch is a UserError naming the field."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        if value is None and type(None) in typing.get_args(hint):
            return None
        non_none = [h for h in typing.get_args(hint) if h is not type(None)]
        return _coerce(non_none[0], value, where) if len(non_none) == 1 else value
    if isinstance(hint, type) and issubclass(hint, Config):
        if not isinstance(value, dict):
            raise UserError(f"{where} must be a JSON object.")
        return hint.from_dict(value)
    if typing.get_origin(hint) is tuple and isinstance(value, list | tuple):
        return tuple(value)
    accepted = _SCALARS.get(hint)
    if accepted is not None:
        if isinstance(value, bool) and hint is not bool or not isinstance(value, accepted):
            raise UserError(f"{where} must be a {hint.__name__}, not {json.dumps(value)}.")
        return float(value) if hint is float else value
    return value
