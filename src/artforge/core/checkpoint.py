"""Checkpoint folders: config.json + model.safetensors + card.md (+ training_state.pt).

`load(path)` rebuilds a model from the folder alone, through the model registry. Where the
files are (`resolve`, a run's checkpoints, `folder_hash`) is artforge.core.checkpoint_layout,
which needs no torch; its names are offered here too.
"""

import io
import json
import shutil
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load as safetensors_load
from safetensors.torch import save as safetensors_save

from artforge import __version__
from artforge.core.atomic import atomic_folder
from artforge.core.checkpoint_layout import (  # noqa: F401 - offered here too
    CHECKPOINTS_DIR,
    CONFIG_FILE,
    WEIGHTS_FILE,
    checkpoint_dir,
    folder_hash,
    latest_checkpoint,
    list_checkpoints,
    resolve,
)
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.errors import UserError

CARD_FILE = "card.md"
STATE_FILE = "training_state.pt"


def save(
    model: ArtModel,
    folder: Path,
    *,
    card: str = "",
    weights: dict[str, torch.Tensor] | None = None,
    training_state: dict[str, Any] | None = None,
) -> Path:
    """Write `model` as a folder, atomically. `weights` overrides the model's own (e.g. EMA)."""
    tensors = weights if weights is not None else model.state_dict()
    header = {"artforge_version": __version__, "kind": model.kind, "config": model.config.to_dict()}
    with atomic_folder(Path(folder)) as tmp:
        (tmp / CONFIG_FILE).write_text(json.dumps(header, indent=2, sort_keys=True) + "\n")
        (tmp / WEIGHTS_FILE).write_bytes(weights_bytes(tensors))
        (tmp / CARD_FILE).write_text(card or f"# {model.kind}\n")
        for name, data in model.extra_files().items():
            (tmp / name).write_bytes(data)
        if training_state is not None:
            buffer = io.BytesIO()
            torch.save(training_state, buffer)
            (tmp / STATE_FILE).write_bytes(buffer.getvalue())
    return Path(folder)


TIED = "artforge_tied"
"""safetensors metadata: {name: the name it is stored under} for tied weights."""


def weights_bytes(tensors: dict[str, torch.Tensor], dtype: torch.dtype | None = None) -> bytes:
    """safetensors bytes of `tensors` (floating ones cast to `dtype` when given), each tied
    weight (a tensor that is a view of the same memory as an earlier one, e.g. a language
    model's output layer and its embedding) stored once, under its first name."""
    stored: dict[str, torch.Tensor] = {}
    tied: dict[str, str] = {}
    first: dict[tuple, str] = {}
    for name, tensor in tensors.items():
        view = (tensor.untyped_storage().data_ptr(), tensor.storage_offset(),
                tuple(tensor.shape), tuple(tensor.stride()), tensor.dtype)
        if view in first:
            tied[name] = first[view]
            continue
        first[view] = name
        cast = dtype is not None and tensor.is_floating_point()
        stored[name] = tensor.detach().to("cpu", dtype if cast else None).contiguous()
    return safetensors_save(_unshared(stored), metadata={TIED: json.dumps(tied)} if tied else None)


def _unshared(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """safetensors refuses tensors that share memory any other way (overlapping views): copy."""
    seen: set[int] = set()
    out = {}
    for name, tensor in tensors.items():
        pointer = tensor.untyped_storage().data_ptr()
        out[name] = tensor.clone() if pointer in seen else tensor
        seen.add(pointer)
    return out


def _tied_names(data: bytes) -> dict[str, str]:
    """The tied weights recorded in safetensors bytes (none for files written before)."""
    size = int.from_bytes(data[:8], "little")
    metadata = json.loads(data[8:8 + size]).get("__metadata__") or {}
    return json.loads(metadata.get(TIED, "{}"))


def prune(run_dir: Path, keep: int) -> None:
    """Keep the `keep` newest checkpoints; remove older ones and temporary folders that a
    killed save left behind (only one process writes a run's checkpoints)."""
    for old in list_checkpoints(run_dir)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    for debris in (Path(run_dir) / CHECKPOINTS_DIR).glob(".step-*.tmp"):
        shutil.rmtree(debris, ignore_errors=True)


def read_header(folder: Path) -> dict[str, Any]:
    path = Path(folder) / CONFIG_FILE
    try:
        header = json.loads(path.read_text())
        header["kind"], header["config"]  # noqa: B018 - both keys must be there
    except FileNotFoundError:
        raise UserError(f"{folder} is not a model folder: {CONFIG_FILE} is missing.") from None
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
        raise UserError(f"{path} is damaged: it is not an artforge model config.") from None
    return header


def read_weights(folder: Path) -> dict[str, torch.Tensor]:
    path = Path(folder) / WEIGHTS_FILE
    try:
        data = path.read_bytes()
        weights = safetensors_load(data)
        for name, stored in _tied_names(data).items():
            weights[name] = weights[stored]
        return weights
    except FileNotFoundError:
        raise UserError(f"{folder} has no {WEIGHTS_FILE}; no model was saved there.") from None
    except Exception as exc:  # safetensors raises its own error types for every kind of damage
        raise UserError(f"{path} is damaged and cannot be read ({exc}).") from None


def load(path: Path, device: str | torch.device = "cpu") -> ArtModel:
    """Rebuild the model saved at `path` (a model folder or a run folder)."""
    folder = resolve(path)
    header = read_header(folder)
    try:
        cls = MODELS.get(header["kind"])
    except ValueError as exc:
        raise UserError(f"{folder}: {exc}.") from None
    model = cls.from_config(cls.config_class.from_dict(header["config"]))
    load_weights(model, read_weights(folder), source=folder)
    model.load_extra_files(folder)
    return model.to(device).eval()


def load_weights(model: torch.nn.Module, weights: dict[str, torch.Tensor], source: Path) -> None:
    try:
        model.load_state_dict(weights)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[0]
        raise UserError(f"the weights in {source} do not fit the model ({first}).") from None


def read_training_state(folder: Path) -> dict[str, Any]:
    path = Path(folder) / STATE_FILE
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise UserError(f"{folder} has no {STATE_FILE}; training cannot resume from it.") from None
    except Exception as exc:
        raise UserError(f"{path} is damaged and cannot be read ({exc}).") from None
