"""`artforge image gan`: train a GAN on a folder of pictures, then sample from it."""

import click

from artforge.cli import ArtforgeGroup
from artforge.cli.options import (
    DEVICE,
    common_options,
    refuse_with_init_from,
    trainer_options,
    training_options,
)

ARCHS = ("dcgan", "stylegan", "stylegan-lite", "fastgan")
# The recipe's defaults, spelled here so `--help` starts without importing torch; a test
# checks them against GANConfig and GAN_TRAIN_DEFAULTS.
DEFAULT_CHANNELS = 8
DEFAULT_AUGMENT = "color,translation"
DEFAULT_BATCH, DEFAULT_LR = 16, 5e-4


@click.group(cls=ArtforgeGroup)
def gan() -> None:
    """GANs that learn a collection of pictures and make new ones (train | sample)."""


@gan.command()
@click.option("--data", required=True,
              help="A folder of images (nested; jpg/png/webp/bmp), or builtin:abstract, "
                   "builtin:paintings or builtin:digits.")
@click.option("--arch", type=click.Choice(ARCHS), default="dcgan", show_default=True,
              help="Network design.")
@click.option("--size", type=int, default=64, show_default=True,
              help="Side of the square images, a power of two (16-512).")
@click.option("--count", type=click.IntRange(min=2), default=500, show_default=True,
              help="How many images a builtin: set makes.")
@click.option("--loss", type=click.Choice(["hinge", "minimax"]), default="hinge",
              show_default=True, help="hinge, or the brief's minimax (non-saturating G).")
@click.option("--r1", "r1_gamma", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="R1 gradient penalty weight on real images (0: off).")
@click.option("--augment", default=DEFAULT_AUGMENT, show_default=True,
              help="DiffAugment transforms for D, comma-separated (color, translation, "
                   "cutout); 'none' for none.")
@click.option("--ada-target", type=click.FloatRange(0, 1, max_open=True), default=0.0,
              help="Adapt the augmentation strength towards E[sign D(real)] = this (e.g. 0.6).")
@click.option("--channels", type=click.IntRange(min=4), default=DEFAULT_CHANNELS,
              show_default=True, help="Width of the networks at full resolution (narrow is "
                                      "faster on a CPU; try 32 on a GPU).")
@click.option("--no-flip", is_flag=True, help="Do not flip training images left-right.")
@click.option("--init-from", default=None,
              help="Start from this GAN (a run or model folder, or builtin:NAME) instead of "
                   "from nothing: its generator, discriminator, architecture, size and losses; "
                   "--augment and --ada-target are this run's.")
@common_options(default_out="runs/gan")
@training_options(default_steps=5000, default_batch_size=DEFAULT_BATCH, default_lr=DEFAULT_LR)
def train(data: str, arch: str, size: int, count: int, loss: str, r1_gamma: float, augment: str,
          ada_target: float, channels: int, no_flip: bool, init_from: str | None, out: str,
          resume: bool, **options) -> None:
    """Train a GAN on your pictures; sample grids go to OUT/samples/ at every save.

    Ctrl-C saves; --resume continues the run in --out (with its saved architecture and size);
    --init-from starts a new run from a trained GAN (a new optimiser, its own step count).

    \b
    Example:
      artforge image gan train --data builtin:abstract --size 64 --out runs/abstract --minutes 20
      artforge image gan train --data ~/Pictures/ink --arch dcgan --size 64 --out runs/ink --resume
      artforge image gan train --data ~/Pictures/ink --init-from runs/abstract --out runs/ink2 \\
        --minutes 5
      artforge image gan train --data ~/Pictures/oils --init-from builtin:paintings-gan \\
        --out runs/oils --minutes 10
    """
    from artforge.image.gan.model import GANConfig
    from artforge.image.gan.train import gan_train_config, train_gan

    refuse_with_init_from(init_from, "arch", "size", "channels", "loss", "r1_gamma",
                          kept="networks and losses")
    policy = () if augment.strip() in ("", "none") else tuple(
        a.strip() for a in augment.split(",") if a.strip())
    config = GANConfig(size=size, loss=loss, r1_gamma=r1_gamma, augment=policy,
                       ada_target=ada_target, channels=channels)
    train_cfg = gan_train_config(**trainer_options(options))

    def report(images) -> None:
        click.echo(f"{len(images.images)} images from {images.source}"
                   + (f"; skipped {len(images.skipped)}:" if images.skipped else ""))
        for path, reason in images.skipped[:20]:
            click.echo(f"  skipped {path}: {reason}")

    result = train_gan(data, out, train_cfg, arch, config, count=count, flip=not no_flip,
                       resume=resume, init_from=init_from, on_data=report)
    click.echo(f"Trained to step {result.step} ({result.stopped_by}); model in {result.checkpoint}")


@gan.command()
@click.option("--model", required=True, type=click.Path(),
              help="A GAN run or model folder, or a shipped one: builtin:abstract-gan "
                   "(abstract compositions), builtin:paintings-gan (painterly pictures).")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="PNG to write (.gif or .mp4 with --interpolate).")
@click.option("--n", type=int, default=16, show_default=True,
              help="Images in the grid (1: a single image); rows with --mix.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the latents.")
@click.option("--truncation", type=float, default=1.0, show_default=True,
              help="ψ in [0, 1]: lower is more typical, less varied.")
@click.option("--interpolate", is_flag=True, help="Write a looping latent walk (GIF or MP4).")
@click.option("--mix", is_flag=True,
              help="Style-mixing sheet (stylegan and stylegan-lite only).")
@DEVICE
def sample(model: str, out: str, n: int, seed: int, truncation: float, interpolate: bool,
           mix: bool, device: str) -> None:
    """Make new images from a trained GAN, each PNG carrying its provenance.

    \b
    Example:
      artforge image gan sample --model runs/abstract --n 16 --seed 3 --out grid.png
      artforge image gan sample --model runs/abstract --interpolate --out walk.gif
      artforge image gan sample --model builtin:paintings-gan --truncation 0.7 --out art.png
    """
    from artforge.image.gan.pipeline import interpolate_gan, mix_gan, sample_gan

    if interpolate:
        path = interpolate_gan(model, out, seed=seed, truncation=truncation, device=device)
    elif mix:
        path = mix_gan(model, out, seed=seed, n=n, truncation=truncation, device=device)
    else:
        path = sample_gan(model, out, n=n, seed=seed, truncation=truncation, device=device)
    click.echo(f"Wrote {path}")
