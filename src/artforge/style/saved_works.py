"""Finished works saved as PNGs with provenance and a catalog row, without torch (so the ONNX
engine of `artforge style stylize` writes the same files as the PyTorch one)."""

from pathlib import Path
from typing import Any

from PIL import Image

from artforge.errors import UserError

MEDIUM = "style"


def check_out(out: Path, suffixes: tuple[str, ...] = (".png",)) -> Path:
    out = Path(out)
    if out.suffix.lower() not in suffixes:
        raise UserError(f"--out must end in {' or '.join(suffixes)}, not {out.name}.")
    if out.is_dir():
        raise UserError(f"--out {out} is a folder; give a file name.")
    return out


def save_work(picture: Image.Image, out: Path, pipeline: str, params: dict[str, Any],
              seed: int, *, model_path: Path | None = None, catalog: bool = True) -> Path:
    """Write `picture` atomically as a PNG carrying its provenance; record it as a work."""
    from artforge.catalog.provenance import save_png
    from artforge.core.card import invoking_command
    from artforge.core.versions import package_versions

    provenance: dict[str, Any] = {"pipeline": pipeline, "params": params, "seed": seed,
                                  "versions": package_versions()}
    if model_path is not None:
        from artforge.core.checkpoint_layout import folder_hash

        provenance.update(model=str(model_path), model_hash=folder_hash(model_path))
    save_png(picture, Path(out), provenance)
    if catalog:
        from artforge.catalog.records import record_work

        record_work(MEDIUM, pipeline, params, seed, Path(out), model_path=model_path,
                    command=invoking_command())
    return Path(out)
