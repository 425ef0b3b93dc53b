"""`artforge image field`: the foundation's toy model, a neural field that learns one picture."""

import click

from artforge.cli import ArtforgeGroup
from artforge.cli.options import DEVICE, common_options, train_config, training_options


@click.group(cls=ArtforgeGroup)
def field() -> None:
    """A network that learns one picture as a function (x, y) → colour (train | render)."""


@field.command()
@click.option("--image", "image", required=True,
              help="Your picture's path, or builtin:paintings/NAME.")
@click.option("--size", type=click.IntRange(4, 2048), default=128, show_default=True,
              help="Longer side, in pixels, of the picture the field learns.")
@common_options(default_out="runs/field")
@training_options(default_steps=800, default_batch_size=2048, default_lr=2e-3)
def train(image: str, size: int, out: str, resume: bool, **options) -> None:
    """Train a neural field on one picture; Ctrl-C saves, --resume continues.

    \b
    Example:
      artforge image field train --image builtin:paintings/van-gogh-starry-night --out runs/starry
      artforge image field train --image my-photo.jpg --out runs/mine --resume --steps 1600
    """
    from artforge.image.field.pipeline import train_field

    result = train_field(image, out, train_config(options), size=size, resume=resume)
    click.echo(f"Trained to step {result.step} ({result.stopped_by}); model in {result.checkpoint}")


@field.command()
@click.option("--model", required=True, type=click.Path(), help="A run or model folder.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="PNG file to write.")
@click.option("--width", type=click.IntRange(1, 8192), default=None,
              help="Width in pixels (default: the size it learned).")
@click.option("--height", type=click.IntRange(1, 8192), default=None,
              help="Height in pixels (default: the size it learned).")
@DEVICE
def render(model: str, out: str, width: int | None, height: int | None, device: str) -> None:
    """Render a trained field at any size, as a PNG that carries its provenance.

    \b
    Example:
      artforge image field render --model runs/starry --out starry.png --width 1280 --height 1016
    """
    from artforge.image.field.pipeline import render_field

    path = render_field(model, out, height=height, width=width, device=device)
    click.echo(f"Wrote {path}")
