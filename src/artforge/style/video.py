"""Stylising a video clip: `artforge style video`, with temporal consistency.

Per-frame style transfer flickers: each frame finds its own strokes. Two remedies, both
following the motion that optical flow measures on the input clip:
- optimisation (Ruder, Dosovitskiy & Brox 2016): each frame starts from the previous
  stylised frame warped onto it, and a temporal loss holds it there wherever the flow is
  reliable; the first frame gets the full coarse-to-fine transfer;
- trained networks (johnson, adain): each stylised frame is blended with the previous
  output warped onto it, where the flow is reliable (`blend` of the previous one).
The flicker metric (flow.flicker) is measured on the result and returned.
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

VIDEO_PIPELINE = "style.video"
FrameFn = Callable[[int, np.ndarray, Any, np.ndarray | None], np.ndarray]
"""(index, frame, Motion from the previous frame or None, previous result or None)."""


@dataclasses.dataclass
class VideoResult:
    path: Path
    frames: int
    fps: float
    seconds: float
    """Time spent stylising (not reading or encoding)."""
    flicker: float


def _gatys_frames(styles: list[tuple[str, float]], options: dict[str, Any], frame_iterations: int,
                  temporal: bool, device, seed: int, vgg: str | Path | None) -> FrameFn:
    """Frame 0: the full transfer; later frames: `frame_iterations` at full size, from the
    warped previous result (temporal) or from the frame itself."""
    from artforge.data.pictures import open_picture
    from artforge.encoders.vgg16 import load_vgg
    from artforge.style.gatys import GatysTransfer, Temporal
    from artforge.style.pipeline import _options
    from artforge.style.works import to_numpy, to_tensor

    first = _options(options)
    if first.preserve_colour != "none":
        raise UserError("--preserve-colour is for pictures; it is not supported for video.")
    later = first.replace(iterations=(frame_iterations,))
    if temporal and later.temporal_weight == 0:
        later = later.replace(temporal_weight=50.0)
    if not temporal:
        later = later.replace(temporal_weight=0.0)
    layers = tuple(dict.fromkeys(first.content_layers + first.style_layers))
    engine = GatysTransfer(first, device, load_vgg(layers, vgg, first.pool) if vgg else None)
    follow = GatysTransfer(later, device, encoder=engine.vgg)
    paintings = [(to_tensor(open_picture(spec, what="style picture")), w) for spec, w in styles]

    def frame_fn(index: int, frame: np.ndarray, motion, previous: np.ndarray | None):
        if index == 0:
            return to_numpy(engine.run(to_tensor(frame), paintings, seed=seed))
        if motion is None:
            return to_numpy(follow.run(to_tensor(frame), paintings, seed=seed))
        reliable = motion.reliable[..., None]
        warped = motion.warp(previous)
        start = reliable * warped + (1.0 - reliable) * frame
        hold = Temporal(to_tensor(warped), to_tensor(motion.reliable[..., None]))
        return to_numpy(follow.run(to_tensor(frame), paintings, init=to_tensor(start),
                                   temporal=hold, seed=seed))

    return frame_fn


def _network_frames(stylizer, device, blend: float) -> FrameFn:
    from artforge.style.works import to_numpy, to_tensor

    def frame_fn(index: int, frame: np.ndarray, motion, previous: np.ndarray | None):
        made = to_numpy(stylizer(to_tensor(frame).to(device)))
        if motion is None or previous is None:
            return made
        keep = blend * motion.reliable[..., None]
        return keep * motion.warp(previous) + (1.0 - keep) * made

    return frame_fn


def stylize_video(source: str | Path, out: str | Path, *, styles: Sequence[str] = (),
                  style_weights: Sequence[float] | None = None, model: str | Path | None = None,
                  alpha: float = 1.0, size: int | None = 384, temporal: bool = True,
                  flow: str = "dis", blend: float = 0.6, frame_iterations: int = 30,
                  max_frames: int | None = None, seed: int = 0, device: str = "auto",
                  vgg: str | Path | None = None,
                  catalog: bool = True, show_progress: bool = True,
                  progress: Callable[[int, int], None] | None = None,
                  **options: Any) -> VideoResult:
    """Stylise a clip with optimisation (`styles`, plus TransferOptions fields as keywords)
    or with a trained `model` folder (johnson; adain with `styles`); write an MP4."""
    from artforge.core.device import pick_device, set_threads
    from artforge.core.progress import Progress
    from artforge.style.flow import FLOW_METHODS, Motion, flicker
    from artforge.style.pipeline import parse_styles
    from artforge.style.video_io import read_video, write_video

    # 1. Check inputs, then read the clip.
    out = Path(out)
    if out.suffix.lower() != ".mp4":
        raise UserError(f"--out must end in .mp4, not {out.name}.")
    if flow not in FLOW_METHODS or not 0.0 <= blend < 1.0 or frame_iterations < 1:
        raise UserError(f"--flow must be one of {', '.join(FLOW_METHODS)}, --blend in [0, 1) "
                        "and --frame-iterations at least 1.")
    if size is not None and not 32 <= size <= 4096:
        raise UserError(f"--size must be between 32 and 4096 pixels, not {size}.")
    set_threads()
    torch_device = pick_device(device)
    if model is None:
        options = {"size": size or 384, **options}
        frame_fn = _gatys_frames(parse_styles(list(styles), style_weights), options,
                                 frame_iterations, temporal, torch_device, seed, vgg)
    else:
        from artforge.style.stylize import load_style_model, make_stylizer

        if options or vgg:
            extra = [*options, *(["vgg"] if vgg else [])]
            raise UserError(f"options {', '.join(extra)} are for optimisation, not --model.")
        network, _ = load_style_model(model, device)
        frame_fn = _network_frames(make_stylizer(network, styles, style_weights, alpha),
                                   next(network.parameters()).device, blend)
    frames, fps = read_video(Path(source), size, max_frames)
    # 2. Stylise frame by frame, following the motion.
    made: list[np.ndarray] = []
    started = time.monotonic()
    with Progress(len(frames), 0, "video", enabled=show_progress) as bar:
        for index, frame in enumerate(frames):
            motion = Motion.between(frames[index - 1], frame, flow) if index and temporal \
                else None
            made.append(frame_fn(index, frame, motion, made[-1] if made else None))
            bar.update(index + 1, {})
            if progress is not None:
                progress(index + 1, len(frames))
    seconds = time.monotonic() - started
    score = flicker(made, frames, flow)
    # 3. Encode with the source's audio and provenance; catalogue.
    params = {"source": str(source), "styles": list(styles),
              "style_weights": list(style_weights or []),
              "model": None if model is None else str(model), "alpha": alpha, "size": size,
              "temporal": temporal, "flow": flow, "blend": blend,
              "frame_iterations": frame_iterations, "max_frames": max_frames, "options": options,
              "vgg": None if vgg is None else str(vgg)}
    comment = json.dumps({"artforge": {"pipeline": VIDEO_PIPELINE, "params": params,
                                       "seed": seed}}, sort_keys=True)
    write_video(made, out, fps, audio_from=Path(source), comment=comment)
    if catalog:
        from artforge.catalog.records import record_work
        from artforge.core.card import invoking_command

        record_work("video", VIDEO_PIPELINE, params, seed, out, command=invoking_command())
    return VideoResult(out, len(made), fps, seconds, score)


def _reproduce(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
    keys = ("styles", "model", "alpha", "size", "temporal", "flow", "blend",
            "frame_iterations", "max_frames", "vgg")
    return stylize_video(params["source"], out, style_weights=params["style_weights"] or None,
                         seed=seed, device="cpu", catalog=False, show_progress=False,
                         **{k: params[k] for k in keys}, **params["options"]).path


PIPELINES.register(VIDEO_PIPELINE)(_reproduce)
