"""Copy a trained model into artforge/assets/models/NAME to ship it as builtin:NAME: the weights
in float16 (half the size; a test of each shipped model checks what it still does; tied
weights stored once), its
config.json with SET=VALUE overrides (JSON values), the folder's other files (tokenizer,
training text) as they are, and its card.md as a start for the hand-written card that says how
it was trained.

    .venv/bin/python scripts/ship_model.py RUN_OR_MODEL NAME [phrase_source='"builtin:x"']
"""

import json
import shutil
import sys
from pathlib import Path

import torch

from artforge.core import checkpoint

KEPT_APART = {"model.safetensors", "config.json", "card.md", "training_state.pt"}


def main() -> None:
    source, name, *sets = sys.argv[1:]
    folder = checkpoint.resolve(Path(source))
    target = Path(__file__).resolve().parents[1] / "src/artforge/assets/models" / name
    target.mkdir(parents=True, exist_ok=True)
    weights = checkpoint.load(folder).state_dict()  # through the model: its ties hold
    (target / "model.safetensors").write_bytes(checkpoint.weights_bytes(weights, torch.float16))
    header = json.loads((folder / "config.json").read_text())
    for item in sets:
        key, value = item.split("=", 1)
        header["config"][key] = json.loads(value)
    (target / "model.safetensors").chmod(0o644)
    (target / "config.json").write_text(json.dumps(header, indent=2, sort_keys=True) + "\n")
    shutil.copy(folder / "card.md", target / "card.md")
    for extra in sorted(folder.iterdir()):  # tokenizer, training text, style picture...
        if extra.is_file() and extra.name not in KEPT_APART:
            shutil.copy(extra, target / extra.name)
    print(f"{folder} -> {target} ({sum(v.numel() for v in weights.values()):,} values)")


if __name__ == "__main__":
    main()
