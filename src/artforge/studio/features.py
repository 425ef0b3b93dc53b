"""Which features this installation offers: a feature whose library module cannot be imported
(not written yet, or a dependency missing) is shown on the page as unavailable, with why.
Features that came to the library after the studio also name the studio module that serves
them, so that neither half alone makes them appear."""

import dataclasses
import functools
import importlib
from typing import Any


@dataclasses.dataclass(frozen=True)
class Feature:
    label: str
    needs: tuple[tuple[str, str], ...]
    """(module, attribute) pairs that must import."""


FEATURES: dict[str, Feature] = {
    "text": Feature("Poems and prose", (("artforge.text.pipeline", "generate_text"),)),
    "music": Feature("Melody continuation", (("artforge.music.pipeline", "generate_music"),)),
    "melody-blend": Feature("Blending two melodies", (
        ("artforge.music.vae.pipeline", "interpolate_melodies"),
        ("artforge.studio.tasks.melodies", "blend"))),
    "accompany": Feature("Accompaniment for a melody", (
        ("artforge.music.band.pipeline", "accompany_melody"),
        ("artforge.studio.tasks.melodies", "accompany"))),
    "gan": Feature("GAN pictures", (("artforge.image.gan.pipeline", "sample_gan"),)),
    "sketch": Feature("Sketch to painting", (
        ("artforge.image.pix2pix.translate", "translate"),
        ("artforge.image.sketch.pipeline", "extract_sketch"),
        ("artforge.studio.tasks.sketch", "paint"))),
    "style": Feature("Style transfer", (("artforge.style.pipeline", "transfer_image"),)),
    "style-video": Feature("Style transfer for video",
                           (("artforge.style.video", "stylize_video"),)),
    "training": Feature("Training on your own files", (
        ("artforge.text.pipeline", "train_text"), ("artforge.music.train", "train_music"),
        ("artforge.image.gan.train", "train_gan"))),
}


def _check(feature: Feature) -> dict[str, Any]:
    for module, attribute in feature.needs:
        try:
            loaded = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            missing = exc.name or module
            why = ("this version of artforge does not have it yet" if missing.startswith(
                "artforge") else f"the package {missing} is not installed")
            return {"available": False, "reason": f"{feature.label}: {why}."}
        except Exception as exc:  # a module that fails to import is unavailable, not fatal
            return {"available": False,
                    "reason": f"{feature.label}: {module} failed to load ({exc})."}
        if not hasattr(loaded, attribute):
            return {"available": False, "reason": f"{feature.label}: this version of artforge "
                                                  f"does not have it yet ({module}.{attribute})."}
    return {"available": True, "reason": ""}


@functools.cache
def availability() -> dict[str, dict[str, Any]]:
    """{feature: {"available", "reason", "label"}}, checked once per process."""
    return {name: {"label": f.label, **_check(f)} for name, f in FEATURES.items()}


def require(feature: str) -> None:
    from artforge.studio.problems import Problem

    state = availability()[feature]
    if not state["available"]:
        raise Problem(409, state["reason"])
