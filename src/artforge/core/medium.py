"""A medium (text, music, pictures, style) as one object that the apps iterate over.

Each medium package exports one `Medium`; `artforge.media` lists them; the command line, the
studio, the demo, the doctor and `catalog reproduce` read that list instead of naming media.
This module knows no medium. Descriptors are plain data plus functions whose bodies import
what they need, so reading a descriptor costs no torch import (the CLI starts in a blink).
"""

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any


@dataclasses.dataclass
class Work:
    """One thing the demo shows: a file or a body of text, with a title and a caption."""

    title: str
    kind: str
    """"image", "audio", "text" or "plot"."""
    path: Path | None = None
    body: str = ""
    """Text of a poem, or SVG markup of a plot."""
    caption: str = ""
    provenance: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class DemoPart:
    """A part of `artforge demo`: `--media NAME` selects it."""

    name: str
    summary: str
    make: Callable[..., list[Work]]
    """make(out_dir, *, seed, device[, minutes]) → the works, saved under out_dir/works."""
    trains: bool = False
    """Whether it trains a model first: then `make` takes `minutes`, its training budget."""
    shipped: Callable[..., list[Work]] | None = None
    """shipped(out_dir, *, seed, device) → the works of the models artforge ships, made at
    once (no training) and shown before anything trains; `make` then makes the rest."""


Report = Callable[[str], None] | None
"""Where a `Training.fit` may tell what it noticed in the data (files it skipped...)."""


@dataclasses.dataclass(frozen=True)
class Training:
    """How the studio trains a model for a feature: on what, with which recipe, at what size.

    The functions are library functions of the medium; their bodies import what they need."""

    label: str
    """What the training page calls a model of it ("Paintings from line art")."""
    datasets: tuple[tuple[str, str], ...]
    """(builtin:NAME, display name) of the built-in sets it trains on, in the page's order."""
    uploads: tuple[str, ...]
    """The kinds of upload it trains on ("zip", "text", "midi"...)."""
    config: Callable[..., Any]
    """config(steps=, minutes=, seed=, save_every=, batch_size=, log_every=) → its
    TrainConfig: the medium's recipe with the fields every studio request sets."""
    fit: Callable[..., Any]
    """fit(data, run, config, size, *, resume, report) → the Trainer's result (checkpoint,
    step, stopped_by, metrics); size is "test", "small", "medium" or "large"."""
    preview: Callable[..., list[str]] | None = None
    """preview(checkpoint, out, seed) → names of the files it wrote in `out`."""


SIZES = ("test", "small", "medium", "large")
"""The sizes a `Training.fit` knows. test: seconds, learns almost nothing (to try the page);
small: CPU minutes; medium: CPU hours; large: a GPU."""


@dataclasses.dataclass(frozen=True)
class Feature:
    """Something the studio offers (a tab, or part of one), available when `load` imports
    without error."""

    name: str
    label: str
    load: Callable[[], object]
    """Imports the library functions the feature calls (raises ImportError when missing)."""
    model_kinds: tuple[str, ...] = ()
    """The kinds of model folder it creates with (the studio lists those for it)."""
    noun: str = ""
    """A word for a model of it ("pictures" model #3); its name when empty."""
    training: Training | None = None
    """How the studio trains a model for it; None when it does not."""


@dataclasses.dataclass(frozen=True)
class ShippedModel:
    """A trained model folder that ships in the package, named builtin:NAME."""

    name: str
    """"builtin:NAME"."""
    folder: str
    """Its folder under artforge/assets/models."""
    makes: str
    """What it makes ("style", "melody", ...): commands ask for a model that makes theirs."""
    label: str = ""


@dataclasses.dataclass(frozen=True)
class Check:
    """A row of `artforge doctor`: what was looked for, what was found, whether it is fine."""

    section: str
    name: str
    value: str
    ok: bool = True

    @classmethod
    def of(cls, name: str, found: object, missing: str,
           section: str = "data and weights") -> "Check":
        """`found` (a path, a program...) when it is there, else `missing`: what to do."""
        return cls(section, name, str(found), True) if found else cls(section, name, missing,
                                                                      False)


def package_file(package: str, relative: str) -> Path | None:
    """The file `relative` inside the installed `package`, when both are there (for checks
    of the data and weights that data-only packages ship)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    return path if path.exists() else None


@dataclasses.dataclass(frozen=True)
class Medium:
    name: str
    label: str
    summary: str = ""
    """One line on what it makes (the command line's help for `artforge NAME`)."""
    register: Callable[[], None] = lambda: None
    """Imports the modules that register this medium's model kinds and pipelines (the
    registries in `artforge.core.registry` call it on a name they do not know yet)."""
    model_kinds: tuple[str, ...] = ()
    """The `kind` names of its model folders."""
    pipelines: tuple[str, ...] = ()
    """The names under which its works are catalogued (what `catalog reproduce` runs)."""
    datasets: tuple[str, ...] = ()
    """Its built-in data sets, as `builtin:NAME`."""
    shipped: tuple[ShippedModel, ...] = ()
    demo: tuple[DemoPart, ...] = ()
    features: tuple[Feature, ...] = ()
    recipes: dict[str, Callable[..., Any]] = dataclasses.field(default_factory=dict)
    """Training recipes by name: functions the CLI, the studio and the demo all call."""
    checks: Callable[[], list[Check]] = lambda: []
    """Its rows in `artforge doctor` (data and weights it needs beyond the package)."""
