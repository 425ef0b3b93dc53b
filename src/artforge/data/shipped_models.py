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


def shipped_name(spec: str | Path, shipped: Sequence[ShippedModel]) -> str | None:
    """builtin:NAME of the model among `shipped` that `spec` names, by that name or by its
    folder's path (as the studio passes the models it lists); None for any other model."""
    if str(spec).startswith("builtin:"):
        return str(spec) if any(model.name == str(spec) for model in shipped) else None
    try:
        folder = Path(spec).expanduser().resolve()
    except (OSError, RuntimeError):
        return None
    return next((model.name for model in shipped if shipped_folder(model).resolve() == folder),
                None)


def builtin_params(spec: str | Path, shipped: Sequence[ShippedModel]) -> dict[str, str]:
    """{"builtin_model": builtin:NAME} for a shipped model, to record in a work's parameters so
    that it is found again by name on any install; {} for any other model."""
    name = shipped_name(spec, shipped)
    return {"builtin_model": name} if name else {}
