"""The options of optimisation-based style transfer, saved with every work it makes."""

import dataclasses

from artforge.core.config import Config, require
from artforge.errors import UserError
from artforge.style.colour import MODES

STYLE_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
CONTENT_LAYERS = ("relu4_2",)
OPTIMIZERS = ("lbfgs", "adam")
INITS = ("content", "style", "noise")
PADDINGS = ("reflect", "zeros")
MIN_SIDE = 32
MAX_SIDE = 4096
PRESETS = {"full": (150,), "quick": (80, 30, 8)}
"""Named `iterations` schedules (`--preset`). "full", the default: 150 L-BFGS iterations at
full size, which on benchmarks/style_speed.py's 512 px problem end at a lower loss than 300
plain iterations in about half their time. "quick", coarse to fine: most of the work at a quarter
and half the size, several times quicker, with larger strokes and a higher loss."""


def preset_iterations(name: str) -> tuple[int, ...]:
    """The iterations of the preset `name`, or a UserError naming the presets."""
    if name not in PRESETS:
        raise UserError(f"there is no --preset {name!r}; choose one of {', '.join(PRESETS)}.")
    return PRESETS[name]


@dataclasses.dataclass
class TransferOptions(Config):
    """Gatys et al.'s optimisation, run coarse to fine.

    `iterations` lists the iterations of each scale, coarsest first; scale i of n works at
    `size / 2**(n - 1 - i)` px on the longer side (never below 64 px). An iteration at half
    the size costs a quarter of one at full size, and the strokes come out larger and more
    coherent than from one full-size pass, but the final loss is higher (see PRESETS).
    """

    size: int = 512
    """Longer side of the result in pixels."""
    iterations: tuple[int, ...] = PRESETS["full"]
    optimizer: str = "lbfgs"
    lr: float = 0.02
    """Adam's step size (pixels are in [0, 1]); L-BFGS needs none."""
    init: str = "content"
    content_weight: float = 1.0
    style_weight: float = 1.0
    tv_weight: float = 0.5
    content_layers: tuple[str, ...] = CONTENT_LAYERS
    style_layers: tuple[str, ...] = STYLE_LAYERS
    style_layer_weights: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0)
    style_scale: float = 1.0
    """Size of the style picture relative to the content: >1 gives larger strokes."""
    preserve_colour: str = "none"
    """"none", "luminance" (transfer on luminance only) or "histogram" (recolour the style)."""
    pool: str = "max"
    """VGG pooling: "max" (as trained) or "avg" (Gatys et al.'s choice; softer)."""
    padding: str = "reflect"
    """VGG convolutions' padding: "reflect" avoids the bright frame that zero padding paints
    along the borders ("replicate" stands in on pictures under 32 px, whose deepest maps are
    too small to reflect); "zeros" is how VGG was trained."""
    temporal_weight: float = 0.0
    """Weight of the temporal loss for video frames (Ruder et al.); 0 for pictures."""

    def validate(self) -> None:
        require([
            (MIN_SIDE <= self.size <= MAX_SIDE,
             f"--size must be between {MIN_SIDE} and {MAX_SIDE} pixels"),
            (1 <= len(self.iterations) <= 6 and all(n >= 0 for n in self.iterations)
             and sum(self.iterations) >= 1,
             "--iterations takes 1 to 6 counts (coarse to fine), at least one of them positive"),
            (self.optimizer in OPTIMIZERS, f"--optimizer must be one of {', '.join(OPTIMIZERS)}"),
            (self.init in INITS, f"--init must be one of {', '.join(INITS)}"),
            (self.lr > 0, "--lr must be positive"),
            (min(self.content_weight, self.style_weight, self.tv_weight,
                 self.temporal_weight) >= 0, "loss weights must be 0 or more"),
            (len(self.style_layers) == len(self.style_layer_weights) and self.style_layers,
             "give one weight per style layer"),
            (bool(self.content_layers), "give at least one content layer"),
            (0.1 <= self.style_scale <= 4, "--style-scale must be between 0.1 and 4"),
            (self.preserve_colour in MODES,
             f"--preserve-colour must be one of {', '.join(MODES)}"),
            (self.pool in ("max", "avg"), "--pool must be max or avg"),
            (self.padding in PADDINGS, f"--padding must be one of {', '.join(PADDINGS)}"),
        ])

    def scale_sides(self, long_side: int | None = None) -> list[int]:
        """Longer side of each scale, coarsest first."""
        side = long_side or self.size
        count = len(self.iterations)
        return [max(min(64, side), round(side / 2 ** (count - 1 - i))) for i in range(count)]
