"""`artforge music eval`: validation NLL per token of a model, and statistics of generated
pieces (see artforge.music.metrics)."""

from pathlib import Path

import torch

from artforge.core import checkpoint
from artforge.core.device import pick_device
from artforge.errors import UserError
from artforge.music.dataset import TokenWindows
from artforge.music.datasets import cache_dir, music_splits
from artforge.music.ingest import tokenise
from artforge.music.model import MusicModel


def held_out_files(data: str, split: str) -> list[Path]:
    """builtin:NAME → its validation or test part; a folder or file → all of it."""
    splits = music_splits(data)
    if not data.startswith("builtin:"):
        return splits.train + splits.validation + splits.test
    files = splits.validation if split == "validation" else splits.test
    if not files:
        raise UserError(f"{data} has no {split} part.")
    return files


@torch.no_grad()
def token_nll(model: MusicModel, files: list[Path], batch_size: int = 32) -> tuple[float, int]:
    """Mean NLL (nats) per token of `files` under `model`, and the number of tokens scored.
    Windows overlap by half, as in training; every window's tokens count."""
    corpus = tokenise(files, model.tokenizer, cache_dir() / "tokens")
    if not corpus.pieces:
        raise UserError("none of the evaluation files has usable notes.")
    data = TokenWindows([p.ids for p in corpus.pieces], model.config.context,
                        model.tokenizer.vocab["BOS_None"])
    device = next(model.parameters()).device
    model.eval()
    total, count = 0.0, 0
    for start in range(0, len(data), batch_size):
        nll, tokens = model.token_nll(data.rows[start:start + batch_size].to(device))
        total, count = total + nll, count + tokens
    return total / max(count, 1), count


def score_model(model_path: str, data: str, split: str = "validation", device: str = "cpu") -> str:
    """One line: a token model's NLL per token, or a piano-roll model's NLL per frame."""
    from artforge.music.frame_model import PianoRollModel
    from artforge.music.frame_train import frame_nll

    files = held_out_files(data, split)
    from artforge.data.shipped_models import model_folder
    from artforge.music.medium import MEDIUM

    folder = checkpoint.resolve(model_folder(model_path, MEDIUM.shipped, "music"))
    model = checkpoint.load(folder, device=pick_device(device))
    if isinstance(model, PianoRollModel):
        nll, frames = frame_nll(model, files)
        return (f"pianoroll ({model.config.cell}): NLL {nll:.4f} nats/frame over {frames} "
                f"frames of {data}")
    if not isinstance(model, MusicModel):
        raise UserError(f"{model_path} holds a {model.kind!r} model, not a music model.")
    model.require_tokenizer(folder)
    nll, tokens = token_nll(model, files)
    return f"{model.kind}: NLL {nll:.4f} nats/token over {tokens} tokens of {data}"
