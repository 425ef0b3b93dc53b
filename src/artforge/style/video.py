"""Stylising a video clip: `artforge style video`, with temporal consistency.

Two methods paint the frames (`method`):
- "network", the command's default: a trained network paints each frame, DEFAULT_MODEL
  unless `model` names another (johnson, adain or instant) — seconds a frame or less. An instant
  model reduces the style pictures to their code once for the clip and encodes each frame
  once, in channels-last layout (the frame's own (H, W, 3) memory, not a copy; about 30 %
  less time on a CPU than the default layout);
- "optimise": Gatys optimisation on each frame — minutes, every control of `style transfer`.
Per-frame style transfer flickers: each frame finds its own strokes. Both methods follow the
motion that optical flow measures on the input clip (flow.py; the painters: video_frames.py):
- optimisation (Ruder, Dosovitskiy & Brox 2016): each frame starts from the previous
  stylised frame warped onto it, and a temporal loss holds it there wherever the flow is
  reliable; the first frame gets the full coarse-to-fine transfer;
- networks: each stylised frame is blended with the previous output warped onto it, where
  the flow is reliable (`blend` of the previous one).
The flow is measured once per pair of frames; the flicker metric (flow.warped_difference,
averaged) is measured along the same flow on the result and returned, with the seconds each
stage took.
"""

import dataclasses
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from artforge.core.registry import PIPELINES
from artforge.errors import UserError
from artforge.style.video_frames import FrameFn, gatys_frames, network_frames, network_painter

VIDEO_PIPELINE = "style.video"
METHODS = ("network", "optimise")
DEFAULT_MODEL = "builtin:adain"
"""The network of `method="network"` when no model is named. builtin:instant (12-15 frames/s
at 512x288 for a network of its size) takes its place once a trained one ships."""


@dataclasses.dataclass
class VideoResult:
    path: Path
    frames: int
    fps: float
    seconds: float
    """Time spent stylising, the flow included (not reading or encoding)."""
    flicker: float
    stages: dict[str, float]
    """Seconds in each stage: read (decoding and resizing), flow (the optical flow and the
    flicker metric along it), stylise (the network or optimisation, and the blend), write."""


def _model_for(method: str | None, model: str | Path | None) -> str | Path | None:
    """The model folder that paints the frames, or None to optimise."""
    if method is None:  # callers from before `method`: optimisation unless given a model
        return model
    if method not in METHODS:
        raise UserError(f"--method must be one of {', '.join(METHODS)}, not {method}.")
    if method == "optimise" and model is not None:
        raise UserError("--model is for --method network; --method optimise paints with the "
                        "--style pictures alone.")
    return None if method == "optimise" else model or DEFAULT_MODEL


def _checked_flow(model: str | Path | None, flow: str | None, blend: float,
                  frame_iterations: int, size: int | None, options: dict[str, Any],
                  vgg: str | Path | None) -> str:
    """The optical flow method (dis-fast for networks, dis for optimisation, whose frames take
    seconds each anyway, unless `flow` names one), once the other options are checked."""
    from artforge.style.flow import FLOW_METHODS

    if model is not None:
        from artforge.style.stylize import style_model_folder

        style_model_folder(model)  # an unknown builtin:NAME is refused before the clip is read
    flow = flow or ("dis" if model is None else "dis-fast")
    if flow not in FLOW_METHODS or not 0.0 <= blend < 1.0 or frame_iterations < 1:
        raise UserError(f"--flow must be one of {', '.join(FLOW_METHODS)}, --blend in [0, 1) "
                        "and --frame-iterations at least 1.")
    if size is not None and not 32 <= size <= 4096:
        raise UserError(f"--size must be between 32 and 4096 pixels, not {size}.")
    if model is not None and (options or vgg):
        extra = [*options, *(["vgg"] if vgg else [])]
        raise UserError(f"options {', '.join(extra)} are for --method optimise, not a network.")
    return flow


def _recorded_model(model: str | Path) -> str:
    """builtin:NAME for a shipped model, named or given by its folder (as the studio gives
    it); the path of any other."""
    from artforge.data.shipped_models import shipped_name
    from artforge.style.medium import MEDIUM

    return shipped_name(model, MEDIUM.shipped) or str(model)


def _timed(stages: dict[str, float], stage: str, fn: Callable, *args: Any, **kwargs: Any):
    """fn(*args, **kwargs), its seconds added to stages[stage]."""
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    stages[stage] += time.perf_counter() - started
    return result


def _stylise(frames: list[np.ndarray], frame_fn: FrameFn, flow: str, temporal: bool,
             stages: dict[str, float], show_progress: bool,
             progress: Callable[[int, int], None] | None) -> tuple[list[np.ndarray], float]:
    """The stylised frames and their flicker: the flow between each pair of input frames is
    measured once, followed by `frame_fn` when `temporal`, and by the flicker metric."""
    from artforge.core.progress import Progress
    from artforge.style.flow import motions, warped_difference

    made: list[np.ndarray] = []
    differences = []
    moving = motions(frames, flow)
    with Progress(len(frames), 0, "video", enabled=show_progress) as bar:
        for index, frame in enumerate(frames):
            motion = _timed(stages, "flow", next, moving) if index else None
            previous = made[-1] if made else None
            made.append(_timed(stages, "stylise", frame_fn, index, frame,
                               motion if temporal else None, previous))
            if motion is not None:
                differences.append(_timed(stages, "flow", warped_difference, made[-1],
                                          previous, motion))
            bar.update(index + 1, {})
            if progress is not None:
                progress(index + 1, len(frames))
    return made, float(np.mean(differences)) if differences else 0.0


def stylize_video(source: str | Path, out: str | Path, *, styles: Sequence[str] = (),
                  style_weights: Sequence[float] | None = None, method: str | None = None,
                  model: str | Path | None = None, alpha: float = 1.0, size: int | None = 384,
                  temporal: bool = True, flow: str | None = None, blend: float = 0.6,
                  frame_iterations: int = 30, max_frames: int | None = None, seed: int = 0,
                  device: str = "auto", vgg: str | Path | None = None,
                  catalog: bool = True, show_progress: bool = True,
                  progress: Callable[[int, int], None] | None = None,
                  **options: Any) -> VideoResult:
    """Stylise a clip and write an MP4. `method` "network": a trained `model` folder paints
    (johnson; adain and instant with `styles`, `style_weights` and `alpha`), DEFAULT_MODEL
    when none is given; "optimise": Gatys with `styles` (plus TransferOptions fields as
    keywords); None: "network" if a model is given, else "optimise". `flow` None: dis-fast
    for networks, dis for optimisation (whose frames take seconds each anyway)."""
    from artforge.core.device import pick_device, set_threads
    from artforge.style.pipeline import parse_styles
    from artforge.style.video_io import read_video, write_video

    # 1. Check inputs, read the clip, load the method.
    out = Path(out)
    if out.suffix.lower() != ".mp4":
        raise UserError(f"--out must end in .mp4, not {out.name}.")
    model = _model_for(method, model)
    flow = _checked_flow(model, flow, blend, frame_iterations, size, options, vgg)
    set_threads()
    stages = dict.fromkeys(("read", "flow", "stylise", "write"), 0.0)
    frames, fps = _timed(stages, "read", read_video, Path(source), size, max_frames)
    if model is None:
        options = {"size": size or 384, **options}
        frame_fn = gatys_frames(parse_styles(list(styles), style_weights), options,
                                 frame_iterations, temporal, pick_device(device), seed, vgg)
    else:
        frame_fn = network_frames(network_painter(model, device, styles, style_weights,
                                                    alpha), blend)
    # 2. Stylise frame by frame, following the motion.
    made, score = _stylise(frames, frame_fn, flow, temporal, stages, show_progress, progress)
    # 3. Encode with the source's audio and provenance; catalogue (a shipped model by its
    #    builtin:NAME, found again on any install).
    params = {"source": str(source), "styles": list(styles),
              "style_weights": list(style_weights or []),
              "model": None if model is None else _recorded_model(model), "alpha": alpha,
              "size": size,
              "temporal": temporal, "flow": flow, "blend": blend,
              "frame_iterations": frame_iterations, "max_frames": max_frames, "options": options,
              "vgg": None if vgg is None else str(vgg)}
    comment = json.dumps({"artforge": {"pipeline": VIDEO_PIPELINE, "params": params,
                                       "seed": seed}}, sort_keys=True)
    _timed(stages, "write", write_video, made, out, fps, audio_from=Path(source),
           comment=comment)
    if catalog:
        from artforge.catalog.records import record_work
        from artforge.core.card import invoking_command

        record_work("video", VIDEO_PIPELINE, params, seed, out, command=invoking_command())
    return VideoResult(out, len(made), fps, stages["flow"] + stages["stylise"], score,
                       stages)


def _reproduce(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
    keys = ("styles", "model", "alpha", "size", "temporal", "flow", "blend",
            "frame_iterations", "max_frames", "vgg")
    return stylize_video(params["source"], out, style_weights=params["style_weights"] or None,
                         seed=seed, device="cpu", catalog=False, show_progress=False,
                         **{k: params[k] for k in keys}, **params["options"]).path


PIPELINES.register(VIDEO_PIPELINE)(_reproduce)
