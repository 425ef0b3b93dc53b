"""Models stay loaded in a worker between jobs (co-writing asks again and again, the Sketch tab
paints at every stroke) and from its warm-up; a folder whose weights changed since is loaded
again."""

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
KEEP = 4
_loaded: OrderedDict[tuple[str, str], tuple[int, Any]] = OrderedDict()


def _stamp(folder: Path) -> int:
    weights = folder / "model.safetensors"
    return (weights if weights.exists() else folder).stat().st_mtime_ns


def cached_model(path: str, load: Callable[[str], T]) -> T:
    key = (path, f"{load.__module__}.{load.__qualname__}")
    stamp = _stamp(Path(path))
    found = _loaded.get(key)
    if found is not None and found[0] == stamp:
        _loaded.move_to_end(key)
        return found[1]
    model = load(path)
    _loaded[key] = (stamp, model)
    while len(_loaded) > KEEP:
        _loaded.popitem(last=False)
    return model
