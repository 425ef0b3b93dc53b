"""`artforge demo`: the main job on built-in data."""

import click

from artforge import media as all_media
from artforge.cli.options import budget_options, common_options

DEMO_PARTS = [part.name for part in all_media.demo_parts()]


@click.command()
@common_options(default_out="artforge-demo")
@budget_options(default_steps=800)
@click.option("--painting", default="hokusai-great-wave", show_default=True,
              help="A built-in painting name, or the path of your own picture.")
@click.option("--size", type=click.IntRange(8, 1024), default=160, show_default=True,
              help="Longer side, in pixels, of the picture the field learns.")
@click.option("--media", multiple=True, metavar="PART",
              help="What to make besides the field painting (repeatable; default: everything "
                   f"— {', '.join(DEMO_PARTS)}; none: only the field); about a minute each.")
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

    chosen = tuple(m for m in media if m != "none") if media else None
    told: list[str] = []

    def first_page(page) -> None:
        if not told:
            told.append(str(page))
            click.echo(f"The first works are on {page.resolve()} — open it in a browser; it "
                       "grows as the parts trained here finish.")

    page = run_demo(out, painting=painting, steps=steps, minutes=minutes, seed=seed,
                    device=device, size=size, media=chosen, on_page=first_page)
    if distributed.is_main():
        click.echo(f"Your works are in {page.parent}/ — open {page.resolve()} in a browser.")
