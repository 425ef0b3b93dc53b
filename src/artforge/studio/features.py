"""Which features this installation offers: each medium's features (artforge.media), and
training. A feature whose library functions cannot be imported (a dependency missing, a
module that fails to load) is shown on the page as unavailable, with why."""

import functools
from typing import Any

from artforge import media
from artforge.core.medium import Feature


def _training() -> object:
    """The shared training loop; what each tab trains with is its own feature's to load."""
    from artforge.core.trainer import Trainer

    return Trainer


TRAINING = Feature("training", "Training on your own files", _training)


def all_features() -> list[Feature]:
    """The media's features in the media's order, then training."""
    return [*media.features(), TRAINING]


def _check(feature: Feature) -> dict[str, Any]:
    try:
        feature.load()
    except ModuleNotFoundError as exc:
        missing = exc.name or "?"
        why = ("this version of artforge does not have it yet" if missing.startswith(
            "artforge") else f"the package {missing} is not installed")
        return {"available": False, "reason": f"{feature.label}: {why}."}
    except Exception as exc:  # a module that fails to import is unavailable, not fatal
        return {"available": False, "reason": f"{feature.label}: it failed to load ({exc})."}
    return {"available": True, "reason": ""}


@functools.cache
def availability() -> dict[str, dict[str, Any]]:
    """{feature: {"available", "reason", "label"}}, checked once per process."""
    return {f.name: {"label": f.label, **_check(f)} for f in all_features()}


def require(feature: str) -> None:
    from artforge.studio.problems import Problem

    state = availability()[feature]
    if not state["available"]:
        raise Problem(409, state["reason"])
