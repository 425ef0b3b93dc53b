"""Kinds of studio job: which lane runs each, which feature it needs, which function does it.

Each task module has two halves: `prepare_*` (in the server: check a request, turn catalog and
upload ids into paths) and the runner (in a worker: call the library's pipeline). Runners are
named as "module:function" and imported only when a job of their kind runs.
"""

import dataclasses
import importlib
from typing import Any

from artforge.studio.context import JobContext


@dataclasses.dataclass(frozen=True)
class TaskSpec:
    lane: str
    feature: str
    """The feature (artforge.studio.features) that must be available."""
    runner: str


TASKS: dict[str, TaskSpec] = {
    "text.generate": TaskSpec("create", "text", "artforge.studio.tasks.text:generate"),
    "music.generate": TaskSpec("create", "music", "artforge.studio.tasks.music:generate"),
    "music.blend": TaskSpec("create", "melody-blend", "artforge.studio.tasks.melodies:blend"),
    "music.accompany": TaskSpec("create", "accompany",
                                "artforge.studio.tasks.melodies:accompany"),
    "gan.sample": TaskSpec("create", "gan", "artforge.studio.tasks.image:sample"),
    "gan.vary": TaskSpec("create", "gan", "artforge.studio.tasks.image:vary"),
    "gan.blend": TaskSpec("create", "gan", "artforge.studio.tasks.image:blend"),
    "sketch.paint": TaskSpec("create", "sketch", "artforge.studio.tasks.sketch:paint"),
    "sketch.lines": TaskSpec("create", "sketch", "artforge.studio.tasks.sketch:lines"),
    "style.image": TaskSpec("create", "style", "artforge.studio.tasks.style:stylise_image"),
    "style.video": TaskSpec("create", "style-video", "artforge.studio.tasks.style:stylise_video"),
    "train": TaskSpec("train", "training", "artforge.studio.tasks.training:train"),
}


def run_task(kind: str, context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    module, function = TASKS[kind].runner.split(":")
    return getattr(importlib.import_module(module), function)(context, params)
