"""Finished works saved as PNGs with provenance and a catalog row, without torch (so the ONNX
engine of `artforge style stylize` writes the same files as the PyTorch one)."""

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from artforge.errors import UserError

if TYPE_CHECKING:
    import sqlite3

MEDIUM = "style"
PILLOW_PNG_LEVEL = 6
"""zlib level of Pillow's PNGs, at which every work whose params name no "png_level" was
written."""


def check_out(out: Path, suffixes: tuple[str, ...] = (".png",)) -> Path:
    out = Path(out)
    if out.suffix.lower() not in suffixes:
        raise UserError(f"--out must end in {' or '.join(suffixes)}, not {out.name}.")
    if out.is_dir():
        raise UserError(f"--out {out} is a folder; give a file name.")
    return out


def works_catalog(catalog: bool = True) -> AbstractContextManager["sqlite3.Connection | None"]:
    """One catalog connection for saving several works, or None when they are not catalogued:
    opening and closing the catalog costs more than recording a work in it."""
    if not catalog:
        return nullcontext()
    from artforge.catalog.db import connection

    return connection()


def save_work(picture: Image.Image, out: Path, pipeline: str, params: dict[str, Any],
              seed: int, *, model_path: Path | None = None, catalog: bool = True,
              model_hash: str | None = None, conn: "sqlite3.Connection | None" = None,
              png_level: int = PILLOW_PNG_LEVEL) -> Path:
    """Write `picture` atomically as a PNG (zlib level `png_level`) carrying its provenance;
    record it as a work.

    Saving many works of one model, pass the model's `model_hash` (its folder_hash) and a
    `conn` from `works_catalog`, so that neither is taken again for each work.
    """
    from artforge.catalog.provenance import save_png
    from artforge.core.card import invoking_command
    from artforge.core.versions import package_versions

    provenance: dict[str, Any] = {"pipeline": pipeline, "params": params, "seed": seed,
                                  "versions": package_versions()}
    if model_path is not None:
        from artforge.core.checkpoint_layout import folder_hash

        model_hash = model_hash or folder_hash(model_path)
        provenance.update(model=str(model_path), model_hash=model_hash)
    save_png(picture, Path(out), provenance, compress_level=png_level)
    if catalog:
        from artforge.catalog.records import record_work

        record_work(MEDIUM, pipeline, params, seed, Path(out), model_path=model_path,
                    command=invoking_command(), conn=conn, model_hash=model_hash)
    return Path(out)
