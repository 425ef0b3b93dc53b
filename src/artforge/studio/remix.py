"""Remix: the settings that reopen a catalogued work in its tab, ready to make it again or
change it. Works made on the command line remix too, from the parameters their rows hold."""

import math
from collections.abc import Callable
from typing import Any

from artforge.studio.tasks.music import DENSITY
from artforge.studio.tasks.style import BASE_STYLE_WEIGHT, DETAIL, INSTANT, INSTANT_MODEL


def _text(params: dict[str, Any]) -> dict[str, Any]:
    config, form = params.get("config", {}), params.get("form", {})
    return {"prompt": params.get("prompt", ""), "form": form.get("form", ""),
            "rhyme": form.get("rhyme", False),
            "length": config.get("max_new_tokens") or config.get("max_length", 60),
            "temperature": config.get("temperature", 0.9), "top_p": config.get("top_p", 0.95),
            "top_k": config.get("top_k", 50), "seed": config.get("seed", 0)}


def _cowritten(params: dict[str, Any]) -> dict[str, Any]:
    steps = params.get("steps") or [{}]
    last = dict(steps[-1].get("settings", {}))
    last.pop("model", None)
    return {**last, "prompt": params.get("text", ""), "title": params.get("title", "")}


def _music(params: dict[str, Any]) -> dict[str, Any]:
    controls, sampling = params.get("controls", {}), params.get("sampling", {})
    bounds = (controls.get("min_notes_per_bar", 0), controls.get("max_notes_per_bar", 0))
    density = next((name for name, pair in DENSITY.items() if pair == bounds), "any")
    return {"bars": params.get("bars", 8), "key": controls.get("key"), "density": density,
            "instrument": controls.get("program", 0),
            "temperature": sampling.get("temperature", 1.0), "top_p": sampling.get("top_p", 0.95)}


def _gan(params: dict[str, Any]) -> dict[str, Any]:
    return {"count": params.get("n", 16), "truncation": params.get("truncation", 1.0)}


def _style(params: dict[str, Any]) -> dict[str, Any]:
    options = params.get("options", {})
    weight = options.get("style_weight", BASE_STYLE_WEIGHT)
    strength = 3 + 2 * math.log10(max(weight, 1e-9) / BASE_STYLE_WEIGHT)
    iterations = list(options.get("iterations", []))
    detail = next((name for name, its in DETAIL.items() if list(its) == iterations), "standard")
    styles = [str(spec) for spec, _ in params.get("styles", [])]
    return {"style_strength": _slider(strength),
            "size": options.get("size", 384), "detail": detail, "painting": _painting(styles),
            "preserve_color": options.get("preserve_colour", "none") != "none"}


def _stylized(params: dict[str, Any]) -> dict[str, Any] | None:
    """Works of the built-in decoder (the tab's instant detail) and of fast style models (no
    style pictures: the work's model is the one to pick); other models have no tab."""
    common = {"size": params.get("max_side", 384),
              "preserve_color": params.get("preserve_colour", "none") != "none"}
    if not params.get("styles"):
        return {**common, "fast": True}
    if params.get("builtin_model") != INSTANT_MODEL:
        return None
    strength = params.get("alpha", 1.0) * 5  # instant_alpha's inverse
    return {**common, "style_strength": _slider(strength), "detail": INSTANT,
            "painting": _painting([str(s) for s in params["styles"]])}


def _slider(strength: float) -> float:
    """A strength on the page's 1-5 slider, in its quarter steps."""
    return min(5.0, max(1.0, round(strength * 4) / 4))


def _painting(styles: list[str]) -> str | None:
    """The built-in painting a style list starts with, if it does."""
    first = styles[0] if styles else ""
    return first.removeprefix("builtin:").removeprefix("paintings/") if first.startswith(
        "builtin:") else None


REMIXES: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any] | None]]] = {
    "text.generate": ("text", _text),
    "studio.cowrite": ("text", _cowritten),
    "music.generate": ("music", _music),
    "gan.sample": ("image", _gan),
    "studio.gan.vary": ("image", _gan),
    "studio.gan.blend": ("image", _gan),
    "style.transfer": ("style", _style),
    "style.stylize": ("style", _stylized),
}
"""Pipeline → (tab, settings from the row's params)."""
SEEDED_BY_ROW = {"music.generate", "gan.sample", "studio.gan.vary", "studio.gan.blend"}


def remix_settings(work: dict[str, Any]) -> dict[str, Any] | None:
    """{"tab", "model", "settings"} for the page, or None when no tab makes such works."""
    found = REMIXES.get(work["pipeline"])
    if found is None:
        return None
    tab, settings_of = found
    settings = settings_of(work["params"] or {})
    if settings is None:
        return None
    if work["pipeline"] in SEEDED_BY_ROW and work["seed"] is not None:
        settings["seed"] = work["seed"]
    return {"tab": tab, "model": work["model_id"], "settings": settings}
