"""Training a band model (`--arch transformer` or `musegan`) with the core Trainer."""

import dataclasses
from pathlib import Path

from artforge.core import checkpoint, distributed
from artforge.core.registry import MODELS
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer, TrainResult
from artforge.errors import UserError
from artforge.music.band.data import BandData, BandPassages, band_data, pitch_ranges
from artforge.music.band.model import BandConfig, BandModel
from artforge.music.band.pipeline import load_band
from artforge.music.train import music_run

ARCHS = {"transformer": "band-transformer", "musegan": "band-musegan"}


def band_class(arch: str) -> type[BandModel]:
    if arch not in ARCHS:
        raise UserError(f"unknown band architecture {arch!r}; choose one of "
                        f"{', '.join(ARCHS)}.")
    return MODELS.get(ARCHS[arch])


@dataclasses.dataclass
class BandTrainResult:
    result: TrainResult
    data: BandData


def train_band(data: str, out: Path, train: TrainConfig, *, arch: str = "transformer",
               model_config: BandConfig | None = None, transpose: int = 5,
               resume: bool = False, catalog: bool = True,
               init_from: str | None = None) -> BandTrainResult:
    """Train a band model on `data` into the run folder `out`; a resumed run keeps its
    architecture and config, and so does one fine-tuned from `init_from` (a band model folder
    or builtin:NAME: its tracks, pitch ranges, size and weights)."""
    # 1. Inputs: a resumed run keeps what it was started with.
    out = Path(out)
    previous = checkpoint.latest_checkpoint(out) if resume else None
    cls = band_class(arch)
    source = None
    if previous is None and init_from is not None:
        source, _ = load_band(init_from)
        cls, config = type(source), source.config
    elif previous is not None:
        header = checkpoint.read_header(previous)
        kinds = {kind: name for name, kind in ARCHS.items()}
        if header["kind"] not in kinds:
            raise UserError(f"{out} holds a {header['kind']!r} run, not a band model.")
        cls = band_class(kinds[header["kind"]])
        config = cls.config_class.from_dict(header["config"])
    else:
        config = model_config or cls.config_class()
        if not isinstance(config, cls.config_class):
            raise UserError(f"the {arch} band model needs a {cls.config_class.__name__}.")
    if not 0 <= transpose <= 12:
        raise UserError("--transpose must be between 0 and 12 semitones.")
    # 2. Passages of the model's tracks; the pitch ranges come from the training data.
    bands = band_data(data, config.tracks, config.bars)
    if previous is None and source is None:
        config = config.replace(ranges=pitch_ranges(bands.train, len(config.tracks), transpose))
    with seeded(train.seed):
        model = cls.from_config(config)
    if source is not None:
        model.load_state_dict(source.state_dict())
    drums = [name == "drums" for name in config.tracks]
    kept = [p for p in bands.train if model.fits(p)]
    held = [p for p in bands.validation if model.fits(p)]
    if not kept:
        raise UserError(f"every passage of {data} is too long for the model's context.")
    dataset = BandPassages(kept, model.batch_of, drums, transpose)
    val = BandPassages(held, model.batch_of, drums)
    share = len(dataset) // distributed.world_size()
    train = train.replace(batch_size=max(1, min(train.batch_size, share)))
    # 3. The shared training loop.
    trainer = Trainer(model, train, out, dataset, val_data=val if len(val) else None,
                      resume=resume, data_note=bands.note)
    result = music_run(data, out, train, config, model.kind, catalog).fit(trainer)
    return BandTrainResult(result, bands)
