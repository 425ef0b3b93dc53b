"""Training a sketch-to-painting model: the `image pix2pix train` task."""

from collections.abc import Callable
from pathlib import Path

from artforge.catalog.runs import RunRecord
from artforge.core import checkpoint, distributed
from artforge.core.init_from import InitModel, check_start, read_init_model
from artforge.core.registry import MODELS
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer, TrainResult
from artforge.errors import UserError
from artforge.image.pix2pix.architectures import KINDS
from artforge.image.pix2pix.model import TranslationConfig, TranslationModel
from artforge.image.pix2pix.pairs import PairedPictures, load_pairs, split_names

SAMPLES_DIR = "samples"
PREVIEW_CROPS = 6


def translation_class(arch: str) -> type[TranslationModel]:
    if arch not in KINDS:
        raise UserError(f"unknown translation model {arch!r}; choose one of: {', '.join(KINDS)}.")
    return MODELS.get(arch)


LEARNING_RATES = {"pix2pix": 1e-3, "pix2pixhd": 2e-4}
"""Adam's rate per architecture. pix2pix: 1e-3 instead of the paper's 2e-4, which for runs of
minutes to an hour reached a lower held-out L1 and followed the line art sooner
(docs/pix2pix.md, section 6); pix2pixhd keeps the paper's rate (not tuned here)."""


def pix2pix_train_config(arch: str = "pix2pix", **overrides) -> TrainConfig:
    """Adam without clipping, as in the papers, with small batches for CPUs."""
    defaults = {"steps": 5000, "batch_size": 4, "lr": LEARNING_RATES[arch], "grad_clip": None,
                "save_every": 200, "log_every": 25}
    return TrainConfig(**{**defaults, **overrides})


def _saved_config(out: Path, arch: str) -> TranslationConfig | None:
    """The config of the run being resumed in `out`, which must be a run of `arch`."""
    previous = checkpoint.latest_checkpoint(out)
    if previous is None:
        return None
    header = checkpoint.read_header(previous)
    if header["kind"] not in KINDS:
        raise UserError(f"{out} holds a {header['kind']!r} model, not a pix2pix one.")
    if header["kind"] != arch:
        raise UserError(f"{out} holds a {header['kind']} run; resume it with --arch "
                        f"{header['kind']} or choose another --out.")
    return translation_class(arch).config_class.from_dict(header["config"])


def held_out_pairs(pairs: PairedPictures, holdout: float) -> tuple[PairedPictures,
                                                                   PairedPictures | None]:
    train_index, held_index = split_names(pairs.names, holdout)
    return pairs.subset(train_index), pairs.subset(held_index) if held_index else None


TUNING_FIELDS = ("sketch", "holdout", "strokes")
"""What a run fine-tuned from another model (--init-from) chooses for itself: how its line art
is drawn and varied, and how many of its pictures are held out. The networks (colour hints
included) and the losses are the model's."""


def train_pix2pix(data: str, out: Path, train: TrainConfig, arch: str = "pix2pix",
                  model_config: TranslationConfig | None = None, *,
                  resume: bool = False, catalog: bool = True,
                  init_from: str | Path | None = None,
                  on_data: Callable[[PairedPictures], None] | None = None,
                  progress: Callable[[int, int, str], None] | None = None) -> TrainResult:
    """Train `arch` on (line art, picture) pairs from `data` (a folder of paintings, a folder
    with A/ and B/, or builtin:paintings) into run folder `out`. A share (config.holdout) of
    the pictures is kept out of training for `image eval`; sheets of held-out crops translated
    at every save go to out/samples/. A resumed run keeps its saved config.

    With `init_from` (a pix2pix or pix2pixhd run or model folder, or builtin:NAME) the run
    starts from that model's generator and discriminator, with its kind, networks and losses
    (`arch` is not used) and the line art and held-out share of `model_config`
    (TUNING_FIELDS); the optimisers and the step count start new."""
    # 1. Check inputs; the model is the resumed run's, the one to start from, or new.
    check_start(init_from, resume)
    out = Path(out)
    start = init_model(init_from) if init_from is not None else None
    if start is not None:
        cls = translation_class(start.kind)
        config = start.run_config(cls.config_class, model_config, TUNING_FIELDS)
    else:
        cls = translation_class(arch)
        saved = _saved_config(out, arch) if resume else None
        config = saved or model_config or cls.config_class()
    # 2. Build the model first, so a bad size fails before any line art is drawn.
    with seeded(train.seed):
        model = cls.from_config(config)
    if start is not None:
        start.start(model, ("generator", "discriminator"))
    # 3. Pairs at the model's crop size, split by picture.
    pairs = load_pairs(data, config.size, config.sketch, progress=progress)
    if on_data is not None:
        on_data(pairs)
    training, held = held_out_pairs(pairs, config.holdout)
    return _fit(model, training, held, data, out, train, resume, catalog)


def init_model(spec: str | Path) -> InitModel:
    """The pix2pix or pix2pixhd model `--init-from spec` names (builtin:NAME or a folder)."""
    from artforge.image.pix2pix.translate import painting_model_folder

    return read_init_model(spec, painting_model_folder(spec), KINDS,
                           "a sketch-to-painting model (pix2pix or pix2pixhd)")


def _fit(model: TranslationModel, training: PairedPictures, held: PairedPictures | None,
         data: str, out: Path, train: TrainConfig, resume: bool, catalog: bool) -> TrainResult:
    from artforge.image.pix2pix.crops import PairedCrops, fixed_crops

    config = model.config
    dataset = PairedCrops(training, config.size)
    share = len(dataset) // distributed.world_size()
    train = train.replace(batch_size=min(train.batch_size, share))
    if distributed.is_main():
        model.preview = fixed_crops(held or training, config.size, PREVIEW_CROPS)
        model.preview_dir = out / SAMPLES_DIR
    note = (f"{data} ({len(training.names)} training pictures, "
            f"{len(held.names) if held else 0} held out, {config.size}px crops)")
    trainer = Trainer(model, train, out, dataset, resume=resume, data_note=note)
    params = {"data": data, "arch": model.kind, "train": train.to_dict(),
              "model": config.to_dict(), "init_from": config.init_from}
    return RunRecord("pix2pix.train", params, train.seed, out, enabled=catalog).fit(trainer)
