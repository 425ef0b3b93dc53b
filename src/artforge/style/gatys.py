"""Optimisation-based style transfer (Gatys, Ecker & Bethge 2016), coarse to fine.

The picture itself is the parameter: L-BFGS (or Adam) moves its pixels until its VGG
features match the content photo's and its Gram matrices match the paintings'. Speed on a
CPU comes from doing most iterations at low resolution, running VGG only up to the deepest
layer used, channels-last convolutions, and targets computed once per scale without
autograd; several styles blend into one Gram target (the same minimiser as a weighted sum
of per-style losses, at the cost of one).

The picture is kept inside [0, 1] by a stiff penalty on the squared overshoot. Plain
L-BFGS drifts far outside the range a picture can show, and the clamp at the end then
undoes part of its work: in benchmarks/style_speed.py the plain optimiser's 300 iterations
score 0.64 once clamped, while the penalised one passes that after about 105 and ends
300 at 0.60 (the same objective, scored clamped).
"""

import dataclasses
from collections.abc import Callable

import torch
import torch.nn.functional as F

from artforge.style.losses import content_loss, gram, style_loss, temporal_loss, tv_loss
from artforge.style.options import TransferOptions

BOX_WEIGHT = 1e3
"""Weight of the mean squared distance of the pixels outside [0, 1] to that range."""
ProgressFn = Callable[[int, int, float], None]
SnapshotFn = Callable[[int, torch.Tensor], None]


@dataclasses.dataclass
class Temporal:
    """The previous stylised frame warped to this one, and where that warp is reliable."""

    warped: torch.Tensor
    """(1, 3, H, W) in [0, 1]."""
    reliable: torch.Tensor
    """(1, 1, H, W) in [0, 1]."""


def resize(images: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """Bilinear resize with antialiasing when shrinking; (height, width)."""
    if tuple(images.shape[-2:]) == tuple(size):
        return images
    shrink = size[0] < images.shape[-2]
    return F.interpolate(images, size=size, mode="bilinear", align_corners=False,
                         antialias=shrink)


def scaled_size(height: int, width: int, long_side: int) -> tuple[int, int]:
    scale = long_side / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


class GatysTransfer:
    """One VGG, reused for every picture (and every video frame) with the same options."""

    def __init__(self, options: TransferOptions, device: torch.device,
                 encoder: torch.nn.Module | None = None) -> None:
        from artforge.encoders.vgg16 import load_vgg

        self.options, self.device = options, device
        self.layer_weights = dict(zip(options.style_layers, options.style_layer_weights,
                                      strict=True))
        layers = tuple(dict.fromkeys(options.content_layers + options.style_layers))
        encoder = encoder if encoder is not None else load_vgg(layers, pool=options.pool)
        self.vgg = encoder.to(device).to(memory_format=torch.channels_last)
        self.vgg.layers = layers

    def features(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        padding = self.options.padding
        if padding == "reflect" and min(images.shape[-2:]) < 32:
            padding = "replicate"
        for conv in self.vgg.convs.values():
            conv.padding_mode = padding
        return self.vgg(images.contiguous(memory_format=torch.channels_last))

    @torch.inference_mode()
    def _style_target(self, styles: list[tuple[torch.Tensor, float]], side: int
                      ) -> dict[str, torch.Tensor]:
        """The blended Gram matrices of the styles, each resized to `side` * style_scale."""
        blended: dict[str, torch.Tensor] = {}
        long_side = max(16, round(side * self.options.style_scale))
        for picture, weight in styles:
            size = scaled_size(*picture.shape[-2:], long_side)
            found = self.features(resize(picture.to(self.device), size))
            for name in self.layer_weights:
                blended[name] = blended.get(name, 0) + weight * gram(found[name])
        return {name: value.clone() for name, value in blended.items()}

    @torch.inference_mode()
    def _content_target(self, content: torch.Tensor) -> dict[str, torch.Tensor]:
        found = self.features(content)
        return {name: found[name].clone() for name in self.options.content_layers}

    def run(self, content: torch.Tensor, styles: list[tuple[torch.Tensor, float]], *,
            mask: torch.Tensor | None = None, init: torch.Tensor | None = None,
            temporal: Temporal | None = None, progress: ProgressFn | None = None,
            snapshot: tuple[int, SnapshotFn] | None = None, seed: int = 0) -> torch.Tensor:
        """Stylise `content` (1, 3, H, W) in [0, 1], already at the result's size.

        `styles`: (picture, blend weight) pairs, weights summing to 1. `mask` (1, 1, H, W):
        1 where the style goes. `init` replaces options.init (video: the warped previous
        frame). `snapshot=(every, fn)` hands out the picture every `every` iterations.
        """
        opts = self.options
        content = content.to(self.device)
        height, width = content.shape[-2:]
        schedule = [(side, n) for side, n in zip(opts.scale_sides(max(height, width)),
                                                 opts.iterations, strict=True) if n > 0]
        total, done = sum(n for _, n in schedule), 0
        image = None
        for side, iterations in schedule:
            size = scaled_size(height, width, side)
            if image is None:
                start = init if init is not None else self._initial(content, styles, seed)
            else:
                start = image
            stage = _Stage(self, resize(content, size), self._style_target(styles, side),
                           None if mask is None else resize(mask.to(self.device), size),
                           _resized_temporal(temporal, size, self.device))
            image = stage.optimise(resize(start.to(self.device), size), iterations,
                                   lambda step, loss, picture, before=done: _report(
                                       before + step, total, loss, picture, progress, snapshot))
            done += iterations
        return resize(image, (height, width)).clamp(0.0, 1.0)

    def _initial(self, content: torch.Tensor, styles: list[tuple[torch.Tensor, float]],
                 seed: int) -> torch.Tensor:
        if self.options.init == "style":
            return resize(styles[0][0].to(self.device), tuple(content.shape[-2:]))
        if self.options.init == "noise":
            generator = torch.Generator().manual_seed(seed)
            return torch.rand(content.shape, generator=generator).to(self.device)
        return content


def box_penalty(image: torch.Tensor) -> torch.Tensor:
    """Mean squared distance of the pixels to [0, 1] (0 for a picture inside it)."""
    return (image - 1.0).relu().square().mean() + (-image).relu().square().mean()


def _resized_temporal(temporal: Temporal | None, size: tuple[int, int],
                      device: torch.device) -> Temporal | None:
    if temporal is None:
        return None
    return Temporal(resize(temporal.warped.to(device), size),
                    resize(temporal.reliable.to(device), size))


def _report(step: int, total: int, loss: float, picture: torch.Tensor,
            progress: ProgressFn | None, snapshot: tuple[int, SnapshotFn] | None) -> None:
    if progress is not None:
        progress(step, total, loss)
    if snapshot is not None and snapshot[0] > 0 and step % snapshot[0] == 0:
        snapshot[1](step, picture.detach().clamp(0.0, 1.0))


class _Stage:
    """The objective at one scale, and its optimisation."""

    def __init__(self, transfer: GatysTransfer, content: torch.Tensor,
                 style_grams: dict[str, torch.Tensor], mask: torch.Tensor | None,
                 temporal: Temporal | None) -> None:
        self.t, self.content, self.grams = transfer, content, style_grams
        self.mask, self.temporal = mask, temporal
        self.content_targets = transfer._content_target(content)

    def composed(self, image: torch.Tensor) -> torch.Tensor:
        """Outside the mask the picture stays the photo."""
        if self.mask is None:
            return image
        return self.mask * image + (1.0 - self.mask) * self.content

    def loss(self, image: torch.Tensor) -> torch.Tensor:
        opts = self.t.options
        picture = self.composed(image)
        found = self.t.features(picture)
        total = opts.content_weight * content_loss(found, self.content_targets,
                                                   opts.content_layers)
        total = total + opts.style_weight * style_loss(found, self.grams, self.t.layer_weights,
                                                       self.mask)
        total = total + opts.tv_weight * tv_loss(picture)
        total = total + BOX_WEIGHT * box_penalty(image)
        if self.temporal is not None and opts.temporal_weight > 0:
            total = total + opts.temporal_weight * temporal_loss(
                picture, self.temporal.warped, self.temporal.reliable)
        return total

    def optimise(self, start: torch.Tensor, iterations: int,
                 report: Callable[[int, float, torch.Tensor], None]) -> torch.Tensor:
        # L-BFGS flattens the gradient with view(), so the parameter stays NCHW-contiguous;
        # features() hands VGG a channels-last copy.
        image = start.detach().clone().contiguous()
        image.requires_grad_(True)
        opts, step = self.t.options, 0
        if opts.optimizer == "adam":
            optimizer = torch.optim.Adam([image], lr=opts.lr)
            for step in range(1, iterations + 1):
                optimizer.zero_grad(set_to_none=True)
                loss = self.loss(image)
                loss.backward()
                optimizer.step()
                report(step, float(loss.detach()), self.composed(image))
            return self.composed(image.detach())
        optimizer = torch.optim.LBFGS([image], lr=1.0, max_iter=iterations,
                                      max_eval=iterations, history_size=20,
                                      tolerance_grad=0.0, tolerance_change=0.0)

        def closure() -> torch.Tensor:
            nonlocal step
            optimizer.zero_grad(set_to_none=True)
            loss = self.loss(image)
            loss.backward()
            step += 1
            report(step, float(loss.detach()), self.composed(image))
            return loss

        optimizer.step(closure)
        return self.composed(image.detach())
