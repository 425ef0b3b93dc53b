"""Name → object registries: architectures and pipelines are picked by name, not by if/elif."""

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """A named table of classes or functions, filled by the `register` decorator."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, T] = {}
        self._sources: list[Callable[[], None]] = []
        """Functions that import the modules which register entries (`artforge.media` adds
        one: each medium's `register`), called on a name not registered yet, so a saved
        folder or a catalogued work can name its class without the caller importing every
        medium."""

    def add_source(self, load: Callable[[], None]) -> None:
        if load not in self._sources:
            self._sources.append(load)

    def _load_sources(self) -> None:
        for load in self._sources:
            load()

    def register(self, name: str) -> Callable[[T], T]:
        def decorate(obj: T) -> T:
            if name in self._entries and self._entries[name] is not obj:
                raise ValueError(f"{self.what} {name!r} is already registered")
            self._entries[name] = obj
            return obj

        return decorate

    def get(self, name: str) -> T:
        if name not in self._entries:
            self._load_sources()
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "none"
            raise ValueError(f"unknown {self.what} {name!r}; known: {known}") from None

    def names(self) -> list[str]:
        self._load_sources()
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        if name not in self._entries:
            self._load_sources()
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())


MODELS: Registry[type] = Registry("model")
"""Model classes by kind; `artforge.core.checkpoint.load` rebuilds a folder through it."""

PIPELINES: Registry[Callable] = Registry("pipeline")
"""Functions that re-create a catalogued work from its parameters (`artforge catalog reproduce`)."""
