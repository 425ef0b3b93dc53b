"""`artforge catalog`: list, show and reproduce the works the catalog remembers."""

import json
from pathlib import Path
from typing import Any

import click

from artforge.cli import ArtforgeGroup
from artforge.errors import UserError

LIST_COLUMNS = ("id", "created", "medium", "pipeline", "path")


@click.group(cls=ArtforgeGroup)
def catalog() -> None:
    """Every work artforge made, how it was made, and making it again (list | show | reproduce).

    The catalog is $ARTFORGE_HOME/catalog.db (default ~/.artforge/catalog.db).

    \b
    Example:
      artforge catalog list --medium image
    """


def _work_id(text: str) -> int:
    """Parse an ID ourselves so that a bad one is one line, like every other user error."""
    try:
        work_id = int(text)
    except ValueError:
        raise UserError(f"work ID must be a whole number, not {text!r}.") from None
    if work_id < 1:
        raise UserError(f"work ID must be 1 or more, not {work_id}.")
    return work_id


def format_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """`rows` as left-aligned columns under a header line."""
    cells = [list(columns)] + [
        ["" if row[c] is None else str(row[c]) for c in columns] for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in cells
    )


@catalog.command("list")
@click.option("--medium", default=None, help="Only works of this medium (image, music, text...).")
@click.option("--limit", type=int, default=50, show_default=True, help="How many, newest first.")
def list_command(medium: str | None, limit: int) -> None:
    """List the newest works: ID, when, medium, pipeline and file.

    \b
    Example:
      artforge catalog list --medium image --limit 10
    """
    from artforge.catalog.records import list_works

    works = list_works(limit=limit, medium=medium)
    if not works:
        which = f"{medium} works" if medium else "works"
        click.echo(f"No {which} in the catalog yet; `artforge demo` makes some.")
        return
    click.echo(format_table(works, LIST_COLUMNS))


@catalog.command()
@click.argument("work_id", metavar="ID")
def show(work_id: str) -> None:
    """Show everything recorded about one work, as JSON.

    \b
    Example:
      artforge catalog show 3
    """
    from artforge.catalog.records import get_work

    work = get_work(_work_id(work_id))
    click.echo(json.dumps(work, indent=2, sort_keys=True, ensure_ascii=False))


@catalog.command()
@click.argument("work_id", metavar="ID")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the new file [default: beside the original, as NAME.reproduced.EXT].",
)
def reproduce(work_id: str, out: Path | None) -> None:
    """Make a work again from its catalog row and say whether it is byte-identical.

    \b
    Example:
      artforge catalog reproduce 3 --out ./again.png
    """
    from artforge.catalog.reproduce import reproduce as reproduce_work

    result = reproduce_work(_work_id(work_id), out=out)
    click.echo(f"Reproduced work {result['work_id']} as {result['path']}")
    click.echo(f"byte-identical: {'yes' if result['identical'] else 'no'}")
    if result["model_changed"]:
        click.echo("note: the model folder has changed since the work was made.")
