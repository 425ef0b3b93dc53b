"""Training the melody VAE on the melodies of any music data, with the core Trainer."""

import dataclasses
from pathlib import Path

from artforge.core import checkpoint, distributed
from artforge.core.device import set_threads
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer, TrainResult
from artforge.errors import UserError
from artforge.music.train import music_run
from artforge.music.vae.data import MelodyData, MelodyWindows, PhraseCodes, melody_data
from artforge.music.vae.model import MelodyVAE, MelodyVAEConfig
from artforge.music.vae.pipeline import load_vae


@dataclasses.dataclass
class VAETrainResult:
    result: TrainResult
    data: MelodyData


def train_vae(data: str, out: Path, train: TrainConfig, *,
              model_config: MelodyVAEConfig | None = None, transpose: int = 5,
              resume: bool = False, catalog: bool = True,
              phrases: Path | None = None) -> VAETrainResult:
    """Train a melody VAE on `data` into the run folder `out` (a resumed run keeps its config).

    `phrases`: a trained short VAE (run or model folder) to build a long model on: its encoder
    and decoder become the long model's phrase level, frozen (see MelodyVAEConfig.phrase_bars)."""
    # 1. Inputs: a resumed run keeps the config it was started with.
    out = Path(out)
    previous = checkpoint.latest_checkpoint(out) if resume else None
    if previous is not None:
        header = checkpoint.read_header(previous)
        if header["kind"] != MelodyVAE.kind:
            raise UserError(f"{out} holds a {header['kind']!r} run, not a melody VAE.")
        config = MelodyVAEConfig.from_dict(header["config"])
    else:
        config = model_config or MelodyVAEConfig()
    short = load_vae(phrases)[0] if phrases is not None and previous is None else None
    if short is not None:
        config = config.on_phrases(short.config, str(phrases))
    if not 0 <= transpose <= 12:
        raise UserError("--transpose must be between 0 and 12 semitones.")
    # 2. Melody windows of the model's length.
    melodies = melody_data(data, config.bars)
    with seeded(train.seed):
        model = MelodyVAE.from_config(config)
        if short is not None:
            model.build_on(short)
    if config.phrased:  # a resumed run's phrase level comes with its weights
        if previous is not None:
            checkpoint.load_weights(model, checkpoint.read_weights(previous), source=previous)
        set_threads()  # the codes are computed here, before the Trainer sets up
        dataset = PhraseCodes(melodies.train, transpose, model.encoder.phrase,
                              model.decoder.phrase_steps)
    else:
        dataset = MelodyWindows(melodies.train, transpose)
    held = MelodyWindows(melodies.validation)
    share = len(dataset) // distributed.world_size()
    train = train.replace(batch_size=max(1, min(train.batch_size, share)))
    # 3. The shared training loop.
    trainer = Trainer(model, train, out, dataset, val_data=held if len(held) else None,
                      resume=resume, data_note=melodies.note)
    result = music_run(data, out, train, config, model.kind, catalog).fit(trainer)
    return VAETrainResult(result, melodies)
