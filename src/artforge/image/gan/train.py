"""Training a GAN on a folder of pictures or a built-in set: the `image gan train` task."""

from collections.abc import Callable
from pathlib import Path

from artforge.catalog.runs import RunRecord
from artforge.core import checkpoint, distributed
from artforge.core.init_from import InitModel, check_start, read_init_model
from artforge.core.registry import MODELS
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer, TrainResult
from artforge.data.image_folders import ImageSet, load_image_set
from artforge.errors import UserError
from artforge.image.gan.model import GANConfig, GANModel

SAMPLES_DIR = "samples"
ARCHITECTURES = ("dcgan", "stylegan", "stylegan-lite", "fastgan")


def gan_class(arch: str) -> type[GANModel]:
    if arch not in ARCHITECTURES:
        raise UserError(f"unknown GAN architecture {arch!r}; choose one of: "
                        f"{', '.join(ARCHITECTURES)}.")
    return MODELS.get(arch)


GAN_TRAIN_DEFAULTS = {"steps": 5000, "batch_size": 16, "lr": 5e-4, "grad_clip": None,
                      "save_every": 250, "log_every": 25}
"""Small batches at a high rate: at a fixed CPU budget more, smaller steps learn a few hundred
pictures faster (benchmarks/gan_small_data.py)."""


def gan_train_config(**overrides) -> TrainConfig:
    """The Trainer options GANs want: no gradient clipping, a constant rate, frequent logs."""
    return TrainConfig(**{**GAN_TRAIN_DEFAULTS, **overrides})


def _resumed_model(out: Path, arch: str) -> tuple[type[GANModel], GANConfig] | None:
    previous = checkpoint.latest_checkpoint(out)
    if previous is None:
        return None
    header = checkpoint.read_header(previous)
    cls = gan_class(header["kind"]) if header["kind"] in ARCHITECTURES else None
    if cls is None:
        raise UserError(f"{out} holds a {header['kind']!r} model, not a GAN.")
    if header["kind"] != arch:
        raise UserError(f"{out} holds a {header['kind']} run; resume it with --arch "
                        f"{header['kind']} or choose another --out.")
    return cls, GANConfig.from_dict(header["config"])


TUNING_FIELDS = ("augment", "augment_p", "ada_target")
"""What a run fine-tuned from another GAN (--init-from) chooses for itself: how its data is
augmented. The networks and the losses are the model's."""


def train_gan(data: str, out: Path, train: TrainConfig, arch: str = "dcgan",
              model_config: GANConfig | None = None, *, count: int = 500, flip: bool = True,
              resume: bool = False, catalog: bool = True, init_from: str | Path | None = None,
              on_data: Callable[[ImageSet], None] | None = None,
              data_seed: int | None = None) -> TrainResult:
    """Train a GAN on `data` (a folder, builtin:abstract, builtin:paintings or builtin:digits)
    into run folder `out`; sample grids at fixed seeds go to out/samples/ at every save.

    A resumed run keeps the architecture and config it was started with. With `init_from` (a
    GAN's run or model folder, or builtin:NAME) the run starts from that GAN's generator and
    discriminator, with its architecture, size and losses (`arch` is not used) and the
    augmentation of `model_config` (TUNING_FIELDS); the optimisers and the step count start
    new. `data_seed` picks the pictures of a generated set such as builtin:abstract (default:
    the training seed), so runs of several seeds can learn the same pictures.
    """
    # 1. Check inputs; the model is the resumed run's, the one to start from, or new.
    check_start(init_from, resume)
    out = Path(out)
    start = _init_model(init_from) if init_from is not None else None
    saved = _resumed_model(out, arch) if resume else None
    if start is not None:
        cls = gan_class(start.kind)
        config = start.run_config(GANConfig, model_config, TUNING_FIELDS)
    elif saved is not None:
        cls, config = saved
    else:
        cls, config = gan_class(arch), model_config or GANConfig()
    # 2. Build the model first, so a bad size fails before any data is read.
    with seeded(train.seed):
        model = cls.from_config(config)
    if start is not None:
        start.start(model, ("generator", "discriminator"))
    # 3. Read the pictures (cached as uint8) at the model's size.
    images = load_image_set(data, config.size, count=count,
                            seed=train.seed if data_seed is None else data_seed)
    if on_data is not None:
        on_data(images)
    dataset = images.dataset(flip=flip)
    share = len(dataset) // distributed.world_size()
    train = train.replace(batch_size=min(train.batch_size, share))
    # 4. The shared training loop, with the run and its model in the catalog.
    model.grid_dir = out / SAMPLES_DIR if distributed.is_main() else None
    note = f"{data} ({len(dataset)} images at {config.size}px{', flipped' if flip else ''})"
    trainer = Trainer(model, train, out, dataset, resume=resume, data_note=note)
    params = {"data": data, "arch": model.kind, "count": count, "train": train.to_dict(),
              "model": config.to_dict(), "init_from": config.init_from}
    return RunRecord("gan.train", params, train.seed, out, enabled=catalog).fit(trainer)


def _init_model(spec: str | Path) -> InitModel:
    from artforge.image.gan.pipeline import gan_model_folder

    return read_init_model(spec, gan_model_folder(spec), ARCHITECTURES,
                           f"a GAN ({', '.join(ARCHITECTURES[:-1])} or {ARCHITECTURES[-1]})")
