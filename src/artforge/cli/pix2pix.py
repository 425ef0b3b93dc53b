"""`artforge image pix2pix`: train a sketch-to-painting model, then paint sketches with it."""

import click
from click.core import ParameterSource

from artforge.cli import ArtforgeGroup
from artforge.cli.options import (
    DEVICE,
    common_options,
    refuse_with_init_from,
    resumed_options,
    trainer_options,
    training_options,
)
from artforge.cli.sketch import METHODS

# The library's names, spelled out so that `--help` does not import torch (a test checks
# they match artforge.image.pix2pix's).
KINDS = ("pix2pix", "pix2pixhd")
ENGINES = ("auto", "torch", "onnx")
NORMS = ("instance", "batch")


@click.group(cls=ArtforgeGroup)
def pix2pix() -> None:
    """Sketch to painting with pix2pix and Pix2PixHD (train | translate)."""


@pix2pix.command()
@click.option("--data", required=True,
              help="A folder of paintings (line art is drawn for each), a folder with A/ "
                   "(line art) and B/ (pictures) of matching names, or builtin:paintings.")
@click.option("--arch", type=click.Choice(KINDS), default="pix2pix", show_default=True,
              help="pix2pix: U-Net + PatchGAN; pix2pixhd: the brief's ResNet generator, "
                   "multi-scale D, feature matching and VGG losses.")
@click.option("--size", type=int, default=128, show_default=True,
              help="Side of the square training crops (a multiple of 32).")
@click.option("--ngf", type=click.IntRange(min=4), default=32, show_default=True,
              help="Generator width.")
@click.option("--norm", type=click.Choice(NORMS), default="instance", show_default=True)
@click.option("--local-enhancer", is_flag=True,
              help="pix2pixhd: add the local enhancer (global generator at half size).")
@click.option("--method", type=click.Choice(METHODS), default="hed", show_default=True,
              help="How line art is drawn for a folder of paintings.")
@click.option("--holdout", type=click.FloatRange(0, 1, max_open=True), default=0.1,
              show_default=True, help="Share of the pictures kept out for `image eval`.")
@click.option("--hints/--no-hints", default=True, show_default=True,
              help="Also learn to follow colour hints (dabs of colour on the sketch, "
                   "`translate --hints`); such a model still paints bare sketches.")
@click.option("--canvas-strokes", is_flag=True,
              help="Vary the training line art as a hand draws (wider, fainter, broken, "
                   "sparse), for sketches drawn on a canvas.")
@click.option("--init-from", default=None,
              help="Start from this model (a pix2pix or pix2pixhd run or model folder, or "
                   "builtin:NAME) instead of from nothing: its generator, discriminator, "
                   "kind, networks (colour hints included) and losses; --method, --holdout "
                   "and --canvas-strokes are this run's.")
@common_options(default_out="runs/pix2pix")
@training_options(default_steps=5000, default_batch_size=4, default_lr=1e-3)
def train(data: str, arch: str, size: int, ngf: int, norm: str, local_enhancer: bool,
          method: str, holdout: float, hints: bool, canvas_strokes: bool,
          init_from: str | None, out: str, resume: bool, **options) -> None:
    """Train a model that paints line art in the manner of your pictures.

    Sheets of held-out line art, its painting and the real picture go to OUT/samples/ at
    every save; Ctrl-C saves; --resume continues (with the saved options); --init-from
    starts a new run from a trained model (a new optimiser, its own step count). Without
    --lr, pix2pix trains at 1e-3 and pix2pixhd at the paper's 2e-4.

    \b
    Example:
      artforge image pix2pix train --data builtin:paintings --out runs/p2p --minutes 30
      artforge image pix2pix train --data ~/Paintings --arch pix2pixhd --out runs/hd --resume
      artforge image pix2pix train --data ~/Paintings --init-from runs/p2p --out runs/mine \\
          --minutes 10
      artforge image pix2pix train --data ~/Paintings --init-from builtin:sketch-painting \\
          --out runs/mine --minutes 10
    """
    from artforge.core.init_from import check_start
    from artforge.image.pix2pix.train import (
        init_model,
        pix2pix_train_config,
        train_pix2pix,
        translation_class,
    )
    from artforge.image.sketch.methods import SketchConfig

    refuse_with_init_from(init_from, "arch", "size", "ngf", "norm", "local_enhancer", "hints",
                          kept="networks and losses")
    check_start(init_from, resume)
    if init_from is not None:  # the model's kind: its config class and learning rate
        arch = init_model(init_from).kind
    cls = translation_class(arch)
    extra = {"local_enhancer": local_enhancer} if arch == "pix2pixhd" else {}
    config = cls.config_class(size=size, ngf=ngf, norm=norm, holdout=holdout,
                              sketch=SketchConfig(method=method), hints=hints,
                              strokes=canvas_strokes, **extra)
    chosen = trainer_options(options, resumed=False)
    if click.get_current_context().get_parameter_source("lr") is ParameterSource.DEFAULT:
        del chosen["lr"]  # each architecture's own rate (pix2pixhd: the paper's 2e-4)
    train_cfg = pix2pix_train_config(arch, **{**chosen, **resumed_options()})

    def report(pairs) -> None:
        made = "given" if pairs.given else "drawn"
        click.echo(f"{len(pairs.names)} pairs from {pairs.source} (line art {made})"
                   + (f"; skipped {len(pairs.skipped)}:" if pairs.skipped else ""))
        for path, reason in pairs.skipped[:20]:
            click.echo(f"  skipped {path}: {reason}")

    def progress(index: int, total: int, name: str) -> None:
        click.echo(f"reading {index + 1}/{total}: {name}", err=True)

    result = train_pix2pix(data, out, train_cfg, arch, config, resume=resume,
                           init_from=init_from, on_data=report, progress=progress)
    click.echo(f"Trained to step {result.step} ({result.stopped_by}); model in {result.checkpoint}")


@pix2pix.command()
@click.option("--model", required=True, type=click.Path(),
              help="A pix2pix run or model folder, or builtin:sketch-painting (the model "
                   "artforge ships).")
@click.option("--in", "source", required=True, type=click.Path(),
              help="A sketch (black lines on white), or a folder of them.")
@click.option("--out", required=True, type=click.Path(),
              help="The PNG to write, or a folder when --in is a folder.")
@click.option("--tile", type=click.IntRange(min=64), default=512, show_default=True,
              help="Larger sketches are painted in overlapping tiles of this size.")
@click.option("--side", type=click.IntRange(min=0), default=None,
              help="Shorter side a sketch is painted at: a larger one is shrunk to it (its "
                   "lines kept dark) and the painting enlarged back. Default: the scale the "
                   "model trained at (twice its crop size); 0: the sketch's own size.")
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="auto: ONNX Runtime on CPU, PyTorch on a GPU.")
@click.option("--hints", type=click.Path(), default=None,
              help="Colours to paint with (models read hints unless trained with "
                   "--no-hints): a picture of the sketch's size whose opaque pixels (or, "
                   "without transparency, non-white ones) are dabs or strokes of colour.")
@click.option("--hints-from", default=None,
              help="Or take the colour hints from a picture (a file or builtin:NAME, "
                   "stretched to the sketch): --dabs dabs of its colours at random places.")
@click.option("--dabs", type=click.IntRange(min=1), default=40, show_default=True,
              help="How many dabs --hints-from puts on the sketch.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Where --hints-from puts its dabs.")
@DEVICE
def translate(model: str, source: str, out: str, tile: int, side: int | None, engine: str,
              hints: str | None, hints_from: str | None, dabs: int, seed: int,
              device: str) -> None:
    """Paint sketches with a trained model (or the one artforge ships), at any size.

    A model paints well at the scale of the line art it learnt from, so a sketch larger than
    that is painted at that scale and enlarged back (--side changes it).

    \b
    Example:
      artforge image sketch --in photo.jpg --out lines.png
      artforge image pix2pix translate --model builtin:sketch-painting --in lines.png \\
          --out painting.png
      artforge image pix2pix translate --model runs/p2p --in lines.png --out painting.png
      artforge image pix2pix translate --model runs/p2p --in lines.png \\
          --hints colours.png --out painting.png
      artforge image pix2pix translate --model runs/p2p --in lines.png \\
          --hints-from photo.jpg --dabs 60 --out painting.png
    """
    from artforge.image.pix2pix.translate import translate as paint

    written = paint(model, source, out, tile=tile, side=side, device=device, engine=engine,
                    hints=hints, hints_from=hints_from, dabs=dabs, hint_seed=seed)
    click.echo(f"Wrote {written[0]}" if len(written) == 1 else
               f"Wrote {len(written)} paintings to {out}")
