"""Training the style networks with the core Trainer: `artforge style train`.

`train_fast` learns one style (Johnson et al.) from a content set; `train_adain` learns one
decoder for every style (Huang & Belongie) from a content set and a style set. Both are
seeded, resumable (--resume continues the run in `out` with its saved config) and catalogued.
"""

from collections.abc import Callable
from pathlib import Path

from artforge.catalog.runs import RunRecord
from artforge.core import checkpoint
from artforge.core.init_from import check_start, read_init_model, recorded_source
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer, TrainResult
from artforge.data.image_folders import ImageSet
from artforge.errors import UserError
from artforge.style.adain_model import AdaINConfig, AdaINModel
from artforge.style.fast_model import FastStyleConfig, FastStyleModel

METHODS = ("johnson", "adain")
FAST_TUNING_FIELDS = ("content_weight", "style_weight", "tv_weight")
"""What a johnson network fine-tuned with --init-from takes from the command line; its widths,
depth, layers and style size stay those of the network it starts from."""


def style_train_config(**overrides) -> TrainConfig:
    """Trainer options the style networks want: Adam at 1e-3, small batches, no decay."""
    defaults = {"steps": 2000, "batch_size": 4, "lr": 1e-3, "save_every": 200,
                "log_every": 10, "grad_clip": None}
    return TrainConfig(**{**defaults, **overrides})


def _saved_config(out: Path, kind: str, config_class):
    """The config of the run being resumed in `out`, or None for a fresh run."""
    previous = checkpoint.latest_checkpoint(out)
    if previous is None:
        return None
    header = checkpoint.read_header(previous)
    if header["kind"] != kind:
        raise UserError(f"{out} holds a {header['kind']!r} run, not a {kind!r} one; choose "
                        "another --out.")
    return config_class.from_dict(header["config"]), previous


def train_fast(style: str, data: str, out: Path, train: TrainConfig,
               config: FastStyleConfig | None = None, *, size: int = 128, count: int = 400,
               resume: bool = False, catalog: bool = True, init_from: str | None = None,
               on_data: Callable[[ImageSet], None] | None = None) -> TrainResult:
    """Train a feed-forward network for the style picture `style` on `data` (a folder of
    photos or builtin:photos) at `size` px crops, into the run folder `out`. Crops of 128 px
    give four times the steps of 256 px ones in the same time; the strokes keep their size,
    which the style picture's size (config.style_size) sets. With `init_from` (a shipped
    fast style such as builtin:starry-night, or a johnson model or run folder) it fine-tunes
    that network for `style`: its architecture stays, the loss weights are `config`'s
    (FAST_TUNING_FIELDS); the optimiser and the step count start new."""
    from artforge.data.image_folders import ImageDataset
    from artforge.style.data import load_pictures

    # 1. Check inputs; the model (with its style picture) from the run, from the network to
    #    fine-tune, or new.
    out = Path(out)
    model = _fast_model(style, out, train.seed, config, resume, init_from)
    config = model.config
    # 2. The content pictures.
    images = load_pictures(data, size, count, train.seed)
    if on_data is not None:
        on_data(images)
    train = train.replace(batch_size=min(train.batch_size, len(images.images)))
    # 3. The shared loop, catalogued.
    note = f"{data} ({len(images.images)} pictures at {size}px)"
    trainer = Trainer(model, train, out, ImageDataset(images.images, low=0.0), resume=resume,
                      data_note=note)
    params = {"method": "johnson", "style": config.style, "data": data, "size": size,
              "count": count, "init_from": init_from, "train": train.to_dict(),
              "model": config.to_dict()}
    return RunRecord("style.train", params, train.seed, out, enabled=catalog).fit(trainer)


def _fast_model(style: str, out: Path, seed: int, config: FastStyleConfig | None,
                resume: bool, init_from: str | None) -> FastStyleModel:
    """The johnson network to train, with its style picture: the resumed run's, a new one
    with the weights of `init_from`, or a new one."""
    from artforge.data.pictures import open_picture
    from artforge.style.stylize import style_model_folder

    check_start(init_from, resume)
    saved = _saved_config(out, FastStyleModel.kind, FastStyleConfig) if resume else None
    if saved is not None:
        config, folder = saved
        if config.style != str(style):
            raise UserError(f"{out} learns the style {config.style}; resume it with --style "
                            f"{config.style} or choose another --out.")
        with seeded(seed):
            model = FastStyleModel.from_config(config)
        model.load_extra_files(folder)
        return model
    start = None
    if init_from is not None:
        start = read_init_model(init_from, style_model_folder(init_from),
                                (FastStyleModel.kind,), "a johnson (fast style) network")
        config = start.run_config(FastStyleConfig, config, FAST_TUNING_FIELDS)
    picture = open_picture(style, what="style picture")
    with seeded(seed):
        model = FastStyleModel.from_config((config or FastStyleConfig()).replace(
            style=str(style)))
    if start is not None:
        start.start(model, ("net",))
    model.set_style(picture)
    return model


def train_adain(styles: str, data: str, out: Path, train: TrainConfig,
                config: AdaINConfig | None = None, *, size: int = 256, count: int = 400,
                resume: bool = False, catalog: bool = True, init_from: str | None = None,
                on_data: Callable[[ImageSet], None] | None = None) -> TrainResult:
    """Train an AdaIN decoder on photos `data` and paintings `styles` (a folder or
    builtin:paintings), into the run folder `out`. With `init_from` (builtin:adain or a model
    folder) it fine-tunes that decoder: its layer and width stay, the loss weights are
    `config`'s; the optimiser and the step count start new."""
    from artforge.style.data import PairDataset, load_pictures

    # 1. Check inputs; the model from the run, the decoder to fine-tune, or new.
    check_start(init_from, resume)
    out = Path(out)
    saved = _saved_config(out, AdaINModel.kind, AdaINConfig) if resume else None
    if init_from is not None:
        from artforge.style.stylize import load_style_model

        model, folder = load_style_model(init_from)
        if not isinstance(model, AdaINModel):
            raise UserError(f"--init-from {init_from} is a {model.kind} model, not an adain "
                            "decoder.")
        weights = {"content_weight": config.content_weight, "style_weight": config.style_weight,
                   "identity_weight": config.identity_weight} if config is not None else {}
        model.config = model.config.replace(**weights,
                                            init_from=recorded_source(init_from, folder))
        config = model.config
    else:
        config = saved[0] if saved is not None else (config or AdaINConfig())
        with seeded(train.seed):
            model = AdaINModel.from_config(config)
    # 2. Photos and paintings.
    contents = load_pictures(data, size, count, train.seed)
    paintings = load_pictures(styles, size, count, train.seed + 1)
    for found in (contents, paintings):
        if on_data is not None:
            on_data(found)
    train = train.replace(batch_size=min(train.batch_size, len(contents.images)))
    # 3. The shared loop, catalogued.
    note = (f"{data} ({len(contents.images)} photos) with {styles} "
            f"({len(paintings.images)} paintings) at {size}px")
    trainer = Trainer(model, train, out, PairDataset(contents.images, paintings.images),
                      resume=resume, data_note=note)
    params = {"method": "adain", "styles": styles, "data": data, "size": size, "count": count,
              "init_from": init_from, "train": train.to_dict(), "model": config.to_dict()}
    return RunRecord("style.train", params, train.seed, out, enabled=catalog).fit(trainer)
