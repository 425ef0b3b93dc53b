"""card.md: what a checkpoint is, what it learned from, how far, and the command that made it."""

import datetime
import shlex
import sys
from typing import TYPE_CHECKING

from artforge.core.config import Config
from artforge.core.versions import package_versions

if TYPE_CHECKING:  # a hint only: invoking_command is on torch-free paths (ONNX stylize)
    from artforge.core.model import ArtModel


def invoking_command() -> str:
    return shlex.join(["artforge", *sys.argv[1:]]) if sys.argv else ""


def training_card(model: "ArtModel", train_config: Config, step: int, metrics: dict[str, float],
                  data_note: str) -> str:
    params = sum(p.numel() for p in model.parameters())
    lines = [
        f"# {model.kind} model",
        "",
        f"- saved: {datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')}",
        f"- parameters: {params:,}",
        f"- steps trained: {step}",
        f"- data: {data_note or 'not recorded'}",
        f"- command: `{invoking_command()}`",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in package_versions().items()),
        "",
        "## Metrics at save",
        "",
    ]
    lines += [f"- {name}: {value:.6g}" for name, value in sorted(metrics.items())] or ["- none yet"]
    lines += ["", "## Model config", "", "```json", model.config.to_json(), "```",
              "", "## Training config", "", "```json", train_config.to_json(), "```", ""]
    return "\n".join(lines)
