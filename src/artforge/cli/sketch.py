"""`artforge image sketch`: line art from a picture (HED, XDoG or Canny)."""

import click

METHODS = ("hed", "xdog", "canny")
"""artforge.image.sketch.methods.METHODS, without importing NumPy and SciPy for `--help`."""


@click.command("sketch")
@click.option("--in", "source", required=True,
              help="A picture file, or builtin:paintings/NAME.")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The PNG to write: black lines on white.")
@click.option("--method", type=click.Choice(METHODS), default="hed", show_default=True,
              help="hed: a network trained on human contours; xdog and canny need no weights.")
@click.option("--detail", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="0 keeps only the strongest lines, 1 keeps faint ones too.")
@click.option("--width", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Line width in pixels.")
@click.option("--min-length", type=click.IntRange(min=1), default=15, show_default=True,
              help="Drop pieces of line shorter than this many pixels.")
@click.option("--max-side", type=click.IntRange(min=16), default=1024, show_default=True,
              help="Shrink larger pictures to this longer side first.")
def sketch(source: str, out: str, method: str, detail: float, width: int, min_length: int,
           max_side: int) -> None:
    """Draw the line art of a picture as clean pen lines.

    \b
    Example:
      artforge image sketch --in builtin:paintings/hokusai-great-wave --out wave-lines.png
      artforge image sketch --in photo.jpg --out photo-lines.png --method xdog
    """
    from artforge.image.sketch.methods import SketchConfig
    from artforge.image.sketch.pipeline import extract_sketch

    config = SketchConfig(method=method, detail=detail, width=width, min_length=min_length)
    path = extract_sketch(source, out, config, max_side=max_side)
    click.echo(f"Wrote {path}")
