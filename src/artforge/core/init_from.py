"""Starting a new training run from a trained model (`--init-from`).

The run takes the model's weights and its config, except the fields it chooses for itself
(each medium says which: its data's augmentation, its line art...); the optimiser, the step
counter and everything else of training start new. The model's config records where it
started (`init_from`), so its card and its catalog row say so.
"""

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from torch import nn

from artforge.core import checkpoint
from artforge.core.config import Config
from artforge.errors import UserError

C = TypeVar("C", bound=Config)


def check_start(init_from: str | Path | None, resume: bool) -> None:
    """A run either starts from a model or continues itself, not both."""
    if init_from is not None and resume:
        raise UserError("--init-from starts a new run and --resume continues one; give only "
                        "one of them.")


def recorded_source(spec: str | Path, folder: Path) -> str:
    """How a run records the model it started from: builtin:NAME, or the folder's full path."""
    return str(spec) if str(spec).startswith("builtin:") else str(Path(folder).resolve())


@dataclasses.dataclass
class InitModel:
    """The trained model a new run starts from: its kind and config, and where its weights
    are."""

    source: str
    """builtin:NAME or the checkpoint folder's full path (recorded_source)."""
    kind: str
    config: dict[str, Any]
    folder: Path

    def run_config(self, config_class: type[C], chosen: Config | None,
                   fields: Sequence[str]) -> C:
        """The new run's config: the model's own, with `fields` taken from `chosen` (when
        given) and `init_from` recording the model."""
        config = config_class.from_dict(self.config)
        picked = {name: getattr(chosen, name) for name in fields} if chosen is not None else {}
        return config.replace(**picked, init_from=self.source)

    def start(self, model: nn.Module, parts: Sequence[str]) -> None:
        """Copy the saved sub-networks `parts` (attributes of `model`, e.g. generator and
        discriminator) into `model`; the first must be saved, the others are copied when they
        are (else they start new, as does everything else of `model`)."""
        saved = checkpoint.read_weights(self.folder)
        for index, part in enumerate(parts):
            prefix = f"{part}."
            weights = {name[len(prefix):]: value for name, value in saved.items()
                       if name.startswith(prefix)}
            if weights or index == 0:
                checkpoint.load_weights(getattr(model, part), weights, source=self.folder)


def read_init_model(spec: str | Path, folder: Path, kinds: Sequence[str],
                    what: str) -> InitModel:
    """The model `--init-from spec` names, saved at `folder` (a model or run folder), which
    must be of one of `kinds` (`what` names them in words: "a GAN (dcgan...)")."""
    folder = checkpoint.resolve(folder)
    header = checkpoint.read_header(folder)
    if header["kind"] not in kinds:
        raise UserError(f"--init-from {spec} holds a {header['kind']!r} model, not {what}.")
    return InitModel(recorded_source(spec, folder), header["kind"], header["config"], folder)
