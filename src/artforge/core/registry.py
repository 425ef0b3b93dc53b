"""Name → object registries: architectures and pipelines are picked by name, not by if/elif."""

import importlib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """A named table of classes or functions, filled by the `register` decorator."""

    def __init__(self, what: str, providers: tuple[str, ...] = ()) -> None:
        self.what = what
        self.providers = providers
        """Modules that register entries; imported on first lookup, so a saved folder or a
        catalogued work can name its class without the caller importing every medium."""
        self._entries: dict[str, T] = {}
        self._providers_loaded = False

    def _load_providers(self) -> None:
        if not self._providers_loaded:
            self._providers_loaded = True
            for module in self.providers:
                importlib.import_module(module)

    def register(self, name: str) -> Callable[[T], T]:
        def decorate(obj: T) -> T:
            if name in self._entries and self._entries[name] is not obj:
                raise ValueError(f"{self.what} {name!r} is already registered")
            self._entries[name] = obj
            return obj

        return decorate

    def get(self, name: str) -> T:
        if name not in self._entries:
            self._load_providers()
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "none"
            raise ValueError(f"unknown {self.what} {name!r}; known: {known}") from None

    def names(self) -> list[str]:
        self._load_providers()
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        if name not in self._entries:
            self._load_providers()
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())


MODELS: Registry[type] = Registry("model", providers=(
    "artforge.toy.model", "artforge.text.model", "artforge.music.model",
    "artforge.music.frame_model", "artforge.image.gan.architectures",
    "artforge.music.vae.model", "artforge.music.band.model", "artforge.music.band.musegan",
    "artforge.style.fast_model", "artforge.style.adain_model",
    "artforge.image.pix2pix.architectures"))
"""Model classes by kind; `artforge.core.checkpoint.load` rebuilds a folder through it."""

PIPELINES: Registry[Callable] = Registry("pipeline", providers=(
    "artforge.toy.pipeline", "artforge.text.pipeline", "artforge.music.pipeline",
    "artforge.image.gan.pipeline", "artforge.studio.gan_picks", "artforge.studio.cowrite",
    "artforge.music.vae.pipeline", "artforge.music.band.pipeline",
    "artforge.style.pipeline", "artforge.style.stylize", "artforge.style.video",
    "artforge.image.sketch.pipeline", "artforge.image.pix2pix.translate"))
"""Functions that re-create a catalogued work from its parameters (`artforge catalog reproduce`)."""
