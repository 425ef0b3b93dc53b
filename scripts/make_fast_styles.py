"""Train the shipped fast styles: one Johnson network for six built-in paintings at once.

`train`: artforge.style.multi_style (conditional instance normalisation: shared convolutions,
a scale and shift per style) on the photos of builtin:photo-library but every tenth (held out
for evaluation, as for builtin:instant): 256 px squares, flipped at random, of which 128 px
squares are cut at random (four times the steps of whole ones; the strokes' size is set by
--style-size); each photo of a batch gets one of the styles at random. Core Trainer:
resumable (--resume), a checkpoint every --save-every steps (100; each is 24 MB with the
optimiser's state) and at the end. `export`: each style of a checkpoint as a
plain `johnson` model folder, OUT/NAME.

    .venv/bin/python scripts/make_fast_styles.py train RUN --minutes 120 [--resume]
    .venv/bin/python scripts/make_fast_styles.py export RUN_OR_CHECKPOINT OUT
"""

import argparse
from pathlib import Path

STYLES = {
    "starry-night": "van-gogh-starry-night",
    "great-wave": "hokusai-great-wave",
    "composition-viii": "kandinsky-composition-viii",
    "auvers": "van-gogh-village-street-auvers",
    "moulin": "renoir-moulin-de-la-galette",
    "summertime": "cassatt-summertime",
}
"""Shipped name -> built-in painting."""
PHOTOS = "builtin:photo-library"
HELD_EVERY = 10
"""Every tenth photo of the library is held out of training (the same as builtin:instant's)."""


def training_photos(size: int):
    from artforge.data.image_folders import load_image_set

    photos = load_image_set(PHOTOS, size).images
    return photos[[i for i in range(len(photos)) if i % HELD_EVERY]]


def train(run: Path, args: argparse.Namespace) -> None:
    from artforge.core.seeding import seeded
    from artforge.core.train_config import TrainConfig
    from artforge.core.trainer import Trainer
    from artforge.data.image_folders import ImageDataset
    from artforge.data.pictures import open_picture
    from artforge.style.multi_style import MultiStyleConfig, MultiStyleModel

    specs = [f"builtin:paintings/{painting}" for painting in STYLES.values()]
    config = MultiStyleConfig(styles=tuple(specs), names=tuple(STYLES),
                              channels=tuple(args.channels), norm=args.norm,
                              style_size=args.style_size,
                              style_weight=args.style_weight)
    with seeded(0):
        model = MultiStyleModel(config)
    model.set_styles([open_picture(spec, what="style picture") for spec in specs])
    if args.init_from and not args.resume:  # another run's weights, a new optimiser
        from artforge.core import checkpoint

        source = checkpoint.resolve(args.init_from)
        weights = checkpoint.read_weights(source)
        # From an instance-norm run, layer-instance norms start at rho = 1: the same pixels.
        weights |= {key: value for key, value in model.state_dict().items()
                    if key.endswith(".rho") and key not in weights}
        checkpoint.load_weights(model, weights, source)
    photos = training_photos(args.size)
    train_config = TrainConfig(steps=args.steps, batch_size=args.batch_size, lr=args.lr,
                               minutes=args.minutes, device=args.device,
                               save_every=args.save_every,
                               log_every=10, grad_clip=None, schedule=args.schedule)
    note = (f"{PHOTOS} ({len(photos)} photos, every tenth held out) at {args.size}px, "
            f"{args.crop} px crops" + (f", from {args.init_from}" if args.init_from else ""))
    result = Trainer(model, train_config, run, ImageDataset(photos, low=0.0, crop=args.crop),
                     resume=args.resume, data_note=note).fit()
    print(f"step {result.step} ({result.stopped_by}); model in {result.checkpoint}")


def export(source: Path, out: Path) -> None:
    from artforge.core import checkpoint

    model = checkpoint.load(checkpoint.resolve(source))
    for index, name in enumerate(model.config.names):
        folder = model.export(index).save(out / name)
        print(f"{name}: {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train_args = commands.add_parser("train")
    train_args.add_argument("run", type=Path)
    train_args.add_argument("--minutes", type=float, default=60.0)
    train_args.add_argument("--steps", type=int, default=1_000_000)
    train_args.add_argument("--resume", action="store_true")
    train_args.add_argument("--size", type=int, default=256, help="photos' side")
    train_args.add_argument("--crop", type=int, default=128, help="training squares' side")
    train_args.add_argument("--style-size", type=int, default=256)
    train_args.add_argument("--style-weight", type=float, default=1.0)
    train_args.add_argument("--channels", type=int, nargs=3, default=(32, 64, 128))
    train_args.add_argument("--norm", default="instance", choices=("instance", "layer-instance"),
                            help="layer-instance: norms that mix in layer statistics by a learnt "
                                 "share (against blots); --init-from an instance run starts "
                                 "them as plain instance norms")
    train_args.add_argument("--lr", type=float, default=1e-3)
    train_args.add_argument("--schedule", default="constant")
    train_args.add_argument("--batch-size", type=int, default=4)
    train_args.add_argument("--save-every", type=int, default=100,
                            help="steps between checkpoints (one is also saved at the end)")
    train_args.add_argument("--init-from", type=Path, help="start from this run's weights")
    train_args.add_argument("--device", default="auto", help="auto: a GPU when there is one")
    export_args = commands.add_parser("export")
    export_args.add_argument("source", type=Path)
    export_args.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "train":
        train(args.run, args)
    else:
        export(args.source, args.out)


if __name__ == "__main__":
    main()
