"""Kinds of studio job: which lane runs each, which feature it needs, which function does it.

Each task module has two halves: `prepare_*` (in the server: check a request, turn catalog and
upload ids into paths) and the runner (in a worker: call the library's pipeline). The task
modules import the library inside their functions, so importing them here costs nothing.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

from artforge.studio.context import JobContext
from artforge.studio.tasks import image, melodies, music, sketch, style, text, training

Runner = Callable[[JobContext, dict[str, Any]], dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class TaskSpec:
    lane: str
    feature: str
    """The feature (artforge.studio.features) that must be available."""
    runner: Runner


TASKS: dict[str, TaskSpec] = {
    "text.generate": TaskSpec("create", "text", text.generate),
    "music.generate": TaskSpec("create", "music", music.generate),
    "music.blend": TaskSpec("create", "melody", melodies.blend),
    "music.accompany": TaskSpec("create", "band", melodies.accompany),
    "gan.sample": TaskSpec("create", "gan", image.sample),
    "gan.vary": TaskSpec("create", "gan", image.vary),
    "gan.blend": TaskSpec("create", "gan", image.blend),
    "sketch.paint": TaskSpec("create", "sketch", sketch.paint),
    "sketch.lines": TaskSpec("create", "sketch", sketch.lines),
    "style.image": TaskSpec("create", "style", style.stylise_image),
    "style.video": TaskSpec("create", "style-video", style.stylise_video),
    "train": TaskSpec("train", "training", training.train),
}


WARM_UPS: dict[str, tuple[Callable[[], None], ...]] = {"create": (sketch.warm_up,)}
"""What a lane's worker loads when the studio starts, before any job asks for it: the Sketch
tab's first painting would otherwise wait for the imports and an ONNX export (seconds)."""


def run_task(kind: str, context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    return TASKS[kind].runner(context, params)
