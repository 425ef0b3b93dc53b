"""The `artforge` command line: a thin layer over the library.

Heavy imports (torch and friends) happen inside the commands that need them, so that
`artforge --help` answers at once. A `UserError` becomes one line on stderr and exit code 2.
"""

import sys
import time

import click

from artforge import __version__
from artforge.errors import UserError

STARTED = time.time()
"""When this command started: --minutes budgets count from here."""


class ArtforgeGroup(click.Group):
    """A click group whose commands turn UserError into one clear line and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=ArtforgeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="artforge")
def app() -> None:
    """artforge: make images, music, poems and stylised pictures with deep learning, locally.

    \b
    Example:
      artforge demo --out ./artforge-demo
    """


@app.group(cls=ArtforgeGroup)
def text() -> None:
    """Poems, stories and scripts from Transformer models (train | generate | eval)."""


@app.group(cls=ArtforgeGroup)
def music() -> None:
    """Music from LSTM, GRU and Transformer models on MIDI (train | generate | eval | render)."""


@app.group(cls=ArtforgeGroup)
def image() -> None:
    """GAN images and sketch-to-painting translation (gan | sketch | pix2pix | eval)."""


@app.group(cls=ArtforgeGroup)
def style() -> None:
    """Style transfer for pictures and video (transfer | train | stylize | video | export-onnx)."""


def _register_commands() -> None:
    from artforge.cli import catalog, demo, doctor, field

    image.add_command(field.field)
    from artforge.cli import gan, image_eval

    image.add_command(gan.gan)
    image.add_command(image_eval.image_eval)
    from artforge.cli import pix2pix, sketch

    image.add_command(sketch.sketch)
    image.add_command(pix2pix.pix2pix)
    from artforge.cli import music_commands

    for command in (music_commands.train, music_commands.generate, music_commands.eval_,
                    music_commands.render):
        music.add_command(command)
    from artforge.cli import music_band, music_vae

    music.add_command(music_vae.vae)
    music.add_command(music_band.band)
    from artforge.cli import text_commands

    for command in (text_commands.train, text_commands.generate, text_commands.evaluate,
                    text_commands.export_hf):
        text.add_command(command)
    from artforge.cli import studio

    app.add_command(studio.studio)
    from artforge.cli import style_commands

    for command in style_commands.COMMANDS:
        style.add_command(command)
    app.add_command(catalog.catalog)
    app.add_command(demo.demo)
    app.add_command(doctor.doctor)


_register_commands()


def main() -> None:
    try:
        app(prog_name="artforge")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
