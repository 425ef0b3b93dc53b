"""`artforge doctor`: what this installation has and lacks."""

import click


@click.command()
def doctor() -> None:
    """Report versions, the device, threads, and which optional data and weights are present.

    \b
    Example:
      artforge doctor
    """
    from artforge.doctor import run_checks

    section = None
    for check in run_checks():
        if check.section != section:
            section = check.section
            click.echo(f"\n{section}")
        mark = "ok " if check.ok else "-- "
        click.echo(f"  {mark}{check.name:<34} {check.value}")
