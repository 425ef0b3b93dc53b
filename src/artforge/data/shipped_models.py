"""Trained models artforge ships in artforge/data/models, named builtin:NAME (each folder's
card.md says how it was trained)."""

from importlib import resources
from pathlib import Path

from artforge.errors import UserError

BUILTIN_MODELS = {
    "builtin:adain": ("adain", "style"),
    "builtin:bach-melody": ("bach-melody", "melody"),
    "builtin:bach-melody-16": ("bach-melody-16", "melody"),
}
"""builtin:NAME → (its folder under artforge/data/models, what it makes)."""


def model_folder(spec: str | Path, makes: str) -> Path:
    """The folder `spec` names: a shipped model (builtin:NAME, one that makes `makes`) or a
    path."""
    if not str(spec).startswith("builtin:"):
        return Path(spec).expanduser()
    folder, its_kind = BUILTIN_MODELS.get(str(spec), ("", ""))
    if its_kind != makes:
        names = [name for name, (_, kind) in BUILTIN_MODELS.items() if kind == makes]
        which = "one is" if len(names) == 1 else "ones are"
        raise UserError(f"there is no built-in {makes} model {spec!s}; the built-in {which} "
                        f"{', '.join(names)}.")
    return Path(str(resources.files("artforge.data") / "models" / folder))


def is_builtin(spec: str | Path) -> bool:
    return str(spec) in BUILTIN_MODELS
