"""What the `artforge style` commands share: style pictures and their blend weights, lists
of numbers, and the library's adjustments shown as warning lines."""

import contextlib
import warnings
from collections.abc import Iterator

import click


def numbers(text: str | None, kind=float) -> list | None:
    if text is None or not text.strip():
        return None
    try:
        return [kind(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a comma-separated list of numbers") from None


def names(text: str | None) -> tuple[str, ...] | None:
    return tuple(p.strip() for p in text.split(",") if p.strip()) if text else None


@contextlib.contextmanager
def warnings_as_lines() -> Iterator[None]:
    """Show the library's adjustments (a picture shrunk, a mask stretched) as one line each."""
    from artforge.data.pictures import StyleWarning

    with warnings.catch_warnings():
        warnings.simplefilter("always", StyleWarning)
        shown = warnings.showwarning

        def show(message, category, *args, **kwargs) -> None:
            if issubclass(category, StyleWarning):
                click.echo(f"warning: {message}", err=True)
            else:
                shown(message, category, *args, **kwargs)

        warnings.showwarning = show
        yield


style_option = click.option(
    "--style", "styles", multiple=True,
    help="Style picture: a file or builtin:NAME (e.g. builtin:van-gogh-starry-night); "
         "repeat to blend several.")
weights_option = click.option("--style-weights", default=None,
                               help="Blend weights of the --style pictures, e.g. 0.7,0.3.")
