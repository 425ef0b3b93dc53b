"""`artforge studio`: the local web page for making art with the models."""

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this machine's needs a token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("--token", default=None,
              help="Access token every request must carry (made up and printed when --host "
                   "is not this machine).")
@click.option("--max-upload-mb", type=click.FloatRange(min=1), default=200, show_default=True,
              help="Largest file one may upload.")
@click.option("--max-unpacked-mb", type=click.FloatRange(min=1), default=2000,
              show_default=True, help="Most a zip of training files may unpack to.")
@click.option("--allow-origin", multiple=True,
              help="Let pages from this origin call the API (CORS; off by default).")
def studio(host: str, port: int, token: str | None, max_upload_mb: float,
           max_unpacked_mb: float, allow_origin: tuple[str, ...]) -> None:
    """Open the studio: a web page to co-write, compose, paint and train, with your models.

    Works and models live in $ARTFORGE_HOME (default ~/.artforge); the page's gallery shows
    everything in the catalog, made there or on the command line.

    \b
    Example:
      artforge studio                      # then open http://127.0.0.1:8000
      artforge studio --host 0.0.0.0 --port 8080   # reachable from your network, with a token
    """
    import contextlib
    import socket

    import uvicorn

    from artforge.core.home import artforge_home
    from artforge.errors import UserError
    from artforge.studio.app import create_app
    from artforge.studio.settings import StudioSettings, is_loopback, new_token
    from artforge.studio.workers import check_home_free

    if token is None and not is_loopback(host):
        token = new_token()
    settings = StudioSettings(home=artforge_home(), host=host, port=port, token=token,
                              max_upload_mb=max_upload_mb, max_unpacked_mb=max_unpacked_mb,
                              allow_origins=allow_origin)
    check_home_free(settings)  # before the port is taken: one sentence, not a hang
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(128)  # connections wait in the queue while the app is built
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror}).") from None
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{listener.getsockname()[1]}/"
    click.echo(f"artforge studio at {address}" + (f"?token={token}" if token else ""))
    click.echo(f"works and models in {settings.home}; Ctrl-C stops the studio", err=True)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    # Ctrl-C is how one stops the studio: uvicorn shuts down (workers save their training
    # checkpoints), then passes the signal on, which ends here as a normal exit.
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[listener])
    click.echo("studio stopped", err=True)
