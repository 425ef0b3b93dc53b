"""The `image sketch` task: line art from a picture, as a PNG with provenance and a catalog row."""

from pathlib import Path
from typing import Any

import numpy as np

from artforge.core.registry import PIPELINES
from artforge.errors import UserError
from artforge.image.sketch.methods import MIN_SIDE, SketchConfig, line_art

SKETCH_PIPELINE = "image.sketch"
DEFAULT_MAX_SIDE = 1024
"""HED is a VGG16 at full resolution: a 12-megapixel photo would need gigabytes."""


def read_picture(spec: str, max_side: int | None = DEFAULT_MAX_SIDE) -> np.ndarray:
    """An RGB uint8 (H, W, 3) array of a file or builtin:paintings/NAME, shrunk to
    `max_side`; a UserError when it is not a picture or too small to hold a line."""
    from artforge.data.images import load_rgb

    picture = load_rgb(spec, max_side=max_side)
    if min(picture.size) < MIN_SIDE:
        raise UserError(f"{spec} is {picture.width}x{picture.height} pixels; a picture needs "
                        f"at least {MIN_SIDE} pixels on each side.")
    return np.asarray(picture, dtype=np.uint8)


def extract_sketch(source: str, out: Path, config: SketchConfig | None = None, *,
                   max_side: int = DEFAULT_MAX_SIDE, catalog: bool = True) -> Path:
    """Write the line art of picture `source` to the PNG `out` (black lines on white)."""
    # 1. Check inputs before any work.
    config = config or SketchConfig()
    out = Path(out)
    if out.suffix.lower() != ".png":
        raise UserError(f"--out must be a .png file, not {out.name}.")
    if max_side < MIN_SIDE:
        raise UserError(f"--max-side must be at least {MIN_SIDE} pixels.")
    params = {"source": str(source), "config": config.to_dict(), "max_side": max_side}
    # 2. Draw and save with provenance; 3. catalogue.
    _write_sketch(params, out)
    if catalog:
        from artforge.catalog import records
        from artforge.core.card import invoking_command

        records.record_work("image", SKETCH_PIPELINE, params, None, out,
                            command=invoking_command())
    return out


def _write_sketch(params: dict[str, Any], out: Path) -> None:
    from PIL import Image

    from artforge.catalog.provenance import save_png
    from artforge.core.versions import package_versions

    picture = read_picture(params["source"], params["max_side"])
    lines = line_art(picture, SketchConfig.from_dict(params["config"]))
    provenance = {"pipeline": SKETCH_PIPELINE, "params": params, "versions": package_versions()}
    save_png(Image.fromarray(lines, "L"), out, provenance)


@PIPELINES.register(SKETCH_PIPELINE)
def reproduce_sketch(params: dict[str, Any], seed: int | None, model_path: str | None,
                     out: Path) -> Path:
    _write_sketch(params, Path(out))
    return Path(out)
