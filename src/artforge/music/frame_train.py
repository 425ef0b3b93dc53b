"""Training and scoring the `pianoroll` frame model (the JSB Chorales-style benchmark)."""

from pathlib import Path

import torch

from artforge.core import checkpoint, distributed
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer, TrainResult
from artforge.errors import UserError
from artforge.music.datasets import training_splits
from artforge.music.frame_model import FrameConfig, PianoRollModel
from artforge.music.ingest import SkipFile, read_score
from artforge.music.pianoroll import FrameWindows, score_frames
from artforge.music.train import music_run


def rolls_of(files: list[Path], frames_per_beat: int) -> list[torch.Tensor]:
    """Piano rolls of the usable files (the others are skipped, as in token training)."""
    rolls = []
    for path in files:
        try:
            roll = score_frames(read_score(path), frames_per_beat)
        except SkipFile:
            continue
        if len(roll) >= 2 and bool(roll.any()):
            rolls.append(roll)
    return rolls


def train_frames(data: str, out: Path, train: TrainConfig, *,
                 model_config: FrameConfig | None = None, transpose: int = 5,
                 resume: bool = False, catalog: bool = True) -> TrainResult:
    """Train the frame model on `data` into `out` (a resumed run keeps its config)."""
    # 1. Inputs and config.
    out = Path(out)
    previous = checkpoint.latest_checkpoint(out) if resume else None
    config = (FrameConfig.from_dict(checkpoint.read_header(previous)["config"])
              if previous is not None else model_config or FrameConfig())
    # 2. Piano rolls, cut into windows.
    splits = training_splits(data)
    rolls = rolls_of(splits.train, config.frames_per_beat)
    if not rolls:
        raise UserError(f"{data} has no usable notes for piano-roll training.")
    dataset = FrameWindows(rolls, config.context, transpose)
    val = FrameWindows(rolls_of(splits.validation, config.frames_per_beat), config.context)
    share = len(dataset) // distributed.world_size()
    train = train.replace(batch_size=max(1, min(train.batch_size, share)))
    # 3. The shared training loop.
    with seeded(train.seed):
        model = PianoRollModel.from_config(config)
    trainer = Trainer(model, train, out, dataset, val_data=val if len(val) else None,
                      resume=resume, data_note=f"{splits.note} as piano rolls")
    return music_run(data, out, train, config, model.kind, catalog).fit(trainer)


def frame_nll(model: PianoRollModel, files: list[Path]) -> tuple[float, int]:
    """NLL per frame (nats, summed over the 88 keys) of whole pieces, and the frames scored."""
    rolls = rolls_of(files, model.config.frames_per_beat)
    if not rolls:
        raise UserError("none of the evaluation files has usable notes.")
    model.eval()
    total = sum(model.piece_nll(roll) for roll in rolls)
    frames = sum(len(roll) for roll in rolls)
    return total / frames, frames


def independent_keys_nll(train: list[torch.Tensor], test: list[torch.Tensor]) -> float:
    """Baseline: each key on with its training frequency, ignoring everything else."""
    rate = torch.cat(train).mean(0).clamp(1e-4, 1 - 1e-4)
    frames = torch.cat(test)
    nll = -(frames * rate.log() + (1 - frames) * (1 - rate).log()).sum()
    return float(nll) / len(frames)
