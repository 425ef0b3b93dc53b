"""Field tasks: learn a painting with a neural field, then render it at any size."""

from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from artforge.catalog.runs import RunRecord
from artforge.core import checkpoint, distributed
from artforge.core.card import invoking_command
from artforge.core.registry import PIPELINES
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer, TrainResult
from artforge.core.versions import package_versions
from artforge.data.images import load_rgb
from artforge.errors import UserError
from artforge.image.field.model import FieldConfig, FieldModel, PixelDataset

RENDER_PIPELINE = "field.render"


def train_field(image: str, out: Path, train: TrainConfig, model_config: FieldConfig | None = None,
                *, size: int = 128, resume: bool = False, catalog: bool = True) -> TrainResult:
    """Train a neural field on `image` (a path or builtin:paintings/NAME) into run folder `out`.

    The picture is shrunk so that its longer side is `size` pixels; a resumed run keeps the
    config (and so the size) it was started with.
    """
    # 1. Check inputs and read the picture.
    if not 4 <= size <= 2048:
        raise UserError("--size must be between 4 and 2048 pixels.")
    out = Path(out)
    picture = load_rgb(image, max_side=size)
    # 2. The model config: from the checkpoint when resuming, else sized to the picture.
    previous = checkpoint.latest_checkpoint(out) if resume else None
    if previous is not None:
        config = FieldConfig.from_dict(checkpoint.read_header(previous)["config"])
    else:
        config = (model_config or FieldConfig()).replace(height=picture.height, width=picture.width)
    picture = picture.resize((config.width, config.height), Image.Resampling.LANCZOS)
    pixels = torch.from_numpy(np.asarray(picture, dtype=np.float32) / 255.0)
    dataset = PixelDataset(pixels)
    # A batch larger than the picture (or this process's share of it) is the whole share.
    share = len(dataset) // distributed.world_size()
    train = train.replace(batch_size=min(train.batch_size, share))
    # 3. Seeded model, then the shared training loop.
    with seeded(train.seed):
        model = FieldModel.from_config(config)
    trainer = Trainer(model, train, out, dataset, val_data=dataset, resume=resume,
                      data_note=f"{image} at {config.width}x{config.height}")
    params = {"image": image, "train": train.to_dict(), "model": config.to_dict()}
    return RunRecord("field.train", params, train.seed, out, enabled=catalog).fit(trainer)


def render_field(model_path: Path, out: Path, *, height: int | None = None,
                 width: int | None = None, catalog: bool = True, device: str = "cpu") -> Path:
    """Render the field at `model_path` as a PNG carrying its provenance."""
    # 1. Check inputs.
    folder = checkpoint.resolve(model_path)
    model = FieldModel.load(folder, device=device)
    height, width = height or model.config.height, width or model.config.width
    if not (1 <= height <= 8192 and 1 <= width <= 8192):
        raise UserError("render size must be between 1 and 8192 pixels on each side.")
    # 2. Render and save with provenance, then catalogue the work.
    params = {"height": height, "width": width}
    _write_render(model, Path(out), params, str(folder))
    if catalog:
        from artforge.catalog import records

        records.record_work("image", RENDER_PIPELINE, params, 0, str(out),
                            model_path=str(folder), command=invoking_command())
    return Path(out)


def _write_render(model: FieldModel, out: Path, params: dict[str, Any], model_path: str) -> None:
    from artforge.catalog.provenance import save_png

    pixels = model.render(params["height"], params["width"])
    picture = Image.fromarray((pixels.numpy() * 255).round().astype(np.uint8), "RGB")
    provenance = {
        "pipeline": RENDER_PIPELINE,
        "params": params,
        "seed": 0,
        "model": model_path,
        "model_hash": checkpoint.folder_hash(model_path),
        "versions": package_versions(),
    }
    save_png(picture, out, provenance)


@PIPELINES.register(RENDER_PIPELINE)
def reproduce_render(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
    """Re-create a catalogued render: same model folder, same size."""
    if model_path is None:
        raise UserError("this render has no model folder recorded, so it cannot be reproduced.")
    model = FieldModel.load(Path(model_path))
    _write_render(model, Path(out), params, model_path)
    return Path(out)
