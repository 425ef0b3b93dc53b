"""The `artforge` command line: a thin layer over the library.

Heavy imports (torch and friends) happen inside the commands that need them, so that
`artforge --help` answers at once. A `UserError` becomes one line on stderr and exit code 2.
"""

import os
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


def _medium_commands() -> dict[str, list[click.Command]]:
    """The command-line commands of each medium (the CLI's half of a medium)."""
    from artforge.cli import (
        field,
        gan,
        image_eval,
        music_band,
        music_commands,
        music_vae,
        pix2pix,
        sketch,
        style_commands,
        text_commands,
    )

    return {
        "text": [text_commands.train, text_commands.generate, text_commands.evaluate,
                 text_commands.export_hf],
        "music": [music_commands.train, music_commands.generate, music_commands.eval_,
                  music_commands.render, music_vae.vae, music_band.band],
        "image": [gan.gan, sketch.sketch, pix2pix.pix2pix, image_eval.image_eval, field.field],
        "style": list(style_commands.COMMANDS),
    }


def _register_commands() -> None:
    """One group per medium of artforge.media, in its order, then the apps' commands."""
    from artforge import media
    from artforge.cli import catalog, data, demo, doctor, studio

    commands = _medium_commands()
    for medium in media.MEDIA:
        group = ArtforgeGroup(medium.name, help=f"{medium.summary or medium.label} ("
                              + " | ".join(c.name for c in commands.get(medium.name, [])) + ").")
        for command in commands.get(medium.name, []):
            group.add_command(command)
        app.add_command(group)
    for command in (studio.studio, catalog.catalog, data.data, demo.demo, doctor.doctor):
        app.add_command(command)


_register_commands()


def main() -> None:
    try:
        app(prog_name="artforge")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except SystemExit as done:
        _leave_if_helper_rank(done.code)
        raise


def _leave_if_helper_rank(code: int | str | None) -> None:
    """Under torchrun, a rank other than 0 (it writes nothing) leaves at once when its command
    is done, without the interpreter's teardown: gloo's threads, torn down there while rank 0
    still works, aborted a helper rank once ("terminate called without an active exception"),
    and torchrun then stopped rank 0 before it wrote its works."""
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and os.environ.get("RANK", "0") != "0":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code if isinstance(code, int) else (0 if code is None else 1))
