"""Where a checkpoint's files are, without torch: the folder a model or run path names, a run's
checkpoints, and the hash that identifies a model (the catalog's and the ONNX cache's key).

A run folder written by the Trainer keeps its checkpoints in `checkpoints/step-NNNNNNNN/`;
`resolve` turns a run folder into its newest checkpoint, so users can pass either.
"""

import hashlib
from pathlib import Path

from artforge.core.atomic import recover_folder
from artforge.errors import UserError

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
CHECKPOINTS_DIR = "checkpoints"


def resolve(path: Path) -> Path:
    """The model folder at `path`, or the newest checkpoint of the run folder at `path`."""
    path = Path(path)
    recover_folder(path)
    if (path / CONFIG_FILE).is_file():
        return path
    newest = latest_checkpoint(path)
    if newest is not None:
        return newest
    if not path.exists():
        raise UserError(f"model folder {path} does not exist.")
    raise UserError(f"{path} is not a model folder: it has no {CONFIG_FILE} and no checkpoints.")


def checkpoint_dir(run_dir: Path, step: int) -> Path:
    return Path(run_dir) / CHECKPOINTS_DIR / f"step-{step:08d}"


def list_checkpoints(run_dir: Path) -> list[Path]:
    """Complete checkpoints of a run, oldest first (temporary folders are not listed)."""
    root = Path(run_dir) / CHECKPOINTS_DIR
    if not root.is_dir():
        return []
    for old in root.glob("step-*.old"):
        recover_folder(old.with_name(old.name.removesuffix(".old")))
    return sorted(p for p in root.glob("step-*") if p.name[5:].isdigit() and p.is_dir())


def latest_checkpoint(run_dir: Path) -> Path | None:
    found = list_checkpoints(run_dir)
    return found[-1] if found else None


def folder_hash(path: Path) -> str:
    """sha256 of a model's config and weights: the identity the catalog records."""
    folder = resolve(path)
    digest = hashlib.sha256()
    for name in (CONFIG_FILE, WEIGHTS_FILE):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()
