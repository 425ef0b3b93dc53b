"""How each frame of a clip is painted for artforge.style.video (whose docstring tells the
methods): a FrameFn takes the frame, the motion from the previous frame and the previous result,
and returns the stylised frame."""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from artforge.errors import UserError

FrameFn = Callable[[int, np.ndarray, Any, np.ndarray | None], np.ndarray]
"""(index, frame, Motion from the previous frame or None, previous result or None)."""


def gatys_frames(styles: list[tuple[str, float]], options: dict[str, Any], frame_iterations: int,
                  temporal: bool, device, seed: int, vgg: str | Path | None) -> FrameFn:
    """Frame 0: the full transfer; later frames: `frame_iterations` at full size, from the
    warped previous result (temporal) or from the frame itself."""
    from artforge.data.pictures import open_picture
    from artforge.encoders.vgg16 import load_vgg
    from artforge.style.gatys import GatysTransfer, Temporal
    from artforge.style.options import PRESETS
    from artforge.style.pipeline import _options
    from artforge.style.works import to_numpy, to_tensor

    if "iterations" not in options and "preset" not in options:
        # The first frame keeps the quick coarse-to-fine schedule (the pictures' default
        # takes minutes at full size), as before the presets.
        options = {**options, "iterations": PRESETS["quick"]}
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


def network_painter(model: str | Path, device: str, styles: Sequence[str],
                     style_weights: Sequence[float] | None, alpha: float
                     ) -> Callable[[np.ndarray], np.ndarray]:
    """Frame -> stylised frame with the model at `model`: an instant model with its style
    code computed once, on the frame's own memory; other models through `make_stylizer`."""
    import torch

    from artforge.data.pictures import open_picture
    from artforge.style.stylize import load_style_model, make_stylizer, style_pairs
    from artforge.style.works import to_numpy, to_tensor

    network, _ = load_style_model(model, device)
    on = next(network.parameters()).device
    if not hasattr(network, "style_code"):
        stylizer = make_stylizer(network, styles, style_weights, alpha)
        return lambda frame: to_numpy(stylizer(to_tensor(frame).to(on)))
    pairs = style_pairs(network.kind, styles, style_weights, alpha)
    code = network.style_code([to_tensor(open_picture(spec, what="style picture"))
                               for spec, _ in pairs], [weight for _, weight in pairs])
    network.to(memory_format=torch.channels_last)

    def paint(frame: np.ndarray) -> np.ndarray:
        # (H, W, 3) seen as (1, 3, H, W) is already channels-last: no copy.
        images = torch.from_numpy(frame).permute(2, 0, 1)[None].to(on)
        return to_numpy(network.render(network.encode(images), code, alpha))

    return paint


def network_frames(paint: Callable[[np.ndarray], np.ndarray], blend: float) -> FrameFn:
    def frame_fn(index: int, frame: np.ndarray, motion, previous: np.ndarray | None):
        made = paint(frame)
        if motion is None or previous is None:
            return made
        keep = blend * motion.reliable[..., None]
        return made + keep * (motion.warp(previous) - made)

    return frame_fn
