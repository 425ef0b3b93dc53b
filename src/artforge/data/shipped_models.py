"""Trained models artforge ships in artforge/assets/models, named builtin:NAME (each folder's
card.md says how it was trained). Which ones there are is said by each medium's descriptor
(`Medium.shipped`); this module finds their folders."""

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from artforge.core.medium import ShippedModel
from artforge.errors import UserError


def shipped_folder(model: ShippedModel) -> Path:
    return Path(str(resources.files("artforge.assets") / "models" / model.folder))


def model_folder(spec: str | Path, shipped: Sequence[ShippedModel], makes: str) -> Path:
    """The folder `spec` names: a shipped model among `shipped` (builtin:NAME, one that makes
    `makes`) or a path."""
    if not str(spec).startswith("builtin:"):
        return Path(spec).expanduser()
    for model in shipped:
        if model.name == str(spec) and model.makes == makes:
            return shipped_folder(model)
    names = [model.name for model in shipped if model.makes == makes]
    which = ("artforge ships none" if not names else f"the built-in one is {names[0]}"
             if len(names) == 1 else f"the built-in ones are {', '.join(names)}")
    raise UserError(f"there is no built-in {makes} model {spec!s}; {which}.")


def is_builtin(spec: str | Path, shipped: Sequence[ShippedModel]) -> bool:
    return any(model.name == str(spec) for model in shipped)
