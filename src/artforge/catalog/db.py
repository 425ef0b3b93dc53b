"""Opening the catalog: one SQLite file under `$ARTFORGE_HOME` (default `~/.artforge`)."""

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from artforge.catalog.migrations import migrate
from artforge.core.home import artforge_home
from artforge.errors import UserError

CATALOG_FILE = "catalog.db"
BUSY_TIMEOUT_MS = 10_000


def catalog_path() -> Path:
    return artforge_home() / CATALOG_FILE


def connect(path: Path | None = None) -> sqlite3.Connection:
    """Open (creating if needed) the catalog at `path` and bring its schema up to date.

    The connection is in autocommit mode: every statement commits on its own, and code that
    needs several statements to stand or fall together opens its own transaction.
    """
    path = Path(path) if path is not None else catalog_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"cannot create the catalog folder {path.parent} ({exc.strerror})."
        ) from None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise UserError(f"cannot open the catalog {path} ({exc}).") from None
    try:
        _configure(conn)
        migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise UserError(f"{path} is not a usable artforge catalog ({exc}).") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")


@contextlib.contextmanager
def connection(conn: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
    """Use `conn` if given; otherwise open the default catalog for the block and close it after."""
    if conn is not None:
        yield conn
        return
    own = connect()
    try:
        yield own
    finally:
        own.close()
