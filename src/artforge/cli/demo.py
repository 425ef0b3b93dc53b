"""`artforge demo`: the main job on built-in data."""

import click

from artforge.cli.options import budget_options, common_options
from artforge.demo import MEDIA


@click.command()
@common_options(default_out="artforge-demo")
@budget_options(default_steps=800)
@click.option("--painting", default="hokusai-great-wave", show_default=True,
              help="A built-in painting name, or the path of your own picture.")
@click.option("--size", type=click.IntRange(8, 1024), default=160, show_default=True,
              help="Longer side, in pixels, of the picture the field learns.")
@click.option("--media", type=click.Choice([*MEDIA, "none"]), multiple=True, default=MEDIA,
              show_default=True,
              help="What to make besides the field painting (repeatable; none: only the "
                   "field); about a minute each.")
def demo(out: str, seed: int, device: str, steps: int, minutes: float | None, painting: str,
         size: int, media: tuple[str, ...]) -> None:
    """Make one work of every medium artforge has, on built-in data, and a page that shows them.

    Running it again continues where the last run stopped (Ctrl-C saves first).

    \b
    Example:
      artforge demo --out ./artforge-demo --steps 800
      artforge demo --media text --media music
    """
    from artforge.core import distributed
    from artforge.demo.run import run_demo

    page = run_demo(out, painting=painting, steps=steps, minutes=minutes, seed=seed,
                    device=device, size=size, media=tuple(m for m in media if m != "none"))
    if distributed.is_main():
        click.echo(f"Your works are in {page.parent}/ — open {page.resolve()} in a browser.")
