"""Schema migrations for the catalog, tracked with `PRAGMA user_version`.

`MIGRATIONS[n]` takes a database from version n to n + 1. Each step runs in one transaction
that also bumps `user_version`, so a failure leaves the database at the version before it.
Append new steps at the end; never edit a step that has shipped.
"""

import sqlite3
from pathlib import Path

from artforge.errors import UserError

V1_CREATE_RUNS_AND_WORKS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        command TEXT,
        params TEXT NOT NULL DEFAULT '{}',
        seed INTEGER,
        out_dir TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        started TEXT NOT NULL,
        finished TEXT,
        versions TEXT NOT NULL DEFAULT '{}',
        metrics TEXT
    )
    """,
    """
    CREATE TABLE works (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        medium TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        seed INTEGER,
        path TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        model_path TEXT,
        model_hash TEXT,
        created TEXT NOT NULL,
        versions TEXT NOT NULL DEFAULT '{}',
        command TEXT
    )
    """,
)

V2_ADD_MODELS: tuple[str, ...] = (
    """
    CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        folder_hash TEXT NOT NULL,
        config TEXT NOT NULL DEFAULT '{}',
        created TEXT NOT NULL
    )
    """,
    "CREATE INDEX models_folder_hash ON models(folder_hash)",
    "ALTER TABLE works ADD COLUMN model_id INTEGER REFERENCES models(id)",
    "CREATE INDEX works_created ON works(created)",
)

V3_ADD_JOBS: tuple[str, ...] = (
    # The studio's queue: long work (generation, style transfer, training) run by its worker
    # processes. `version` grows with every change, so a watcher sees new progress cheaply.
    """
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        lane TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'queued',
        progress REAL NOT NULL DEFAULT 0,
        message TEXT NOT NULL DEFAULT '',
        partial TEXT,
        result TEXT,
        error TEXT,
        resume INTEGER NOT NULL DEFAULT 0,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        worker_pid INTEGER,
        version INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL,
        started TEXT,
        finished TEXT
    )
    """,
    "CREATE INDEX jobs_queue ON jobs(lane, status, id)",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1_CREATE_RUNS_AND_WORKS, V2_ADD_MODELS, V3_ADD_JOBS)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the database at `path` up to `LATEST_VERSION`; return the version it ends at.

    `conn` must be in autocommit mode (`isolation_level=None`) so that the transactions here
    are the only ones. Two processes may migrate at once: each step re-reads the version after
    taking the write lock, and skips the step if the other process already applied it.
    """
    check_not_newer(conn, path)
    for version in range(schema_version(conn), LATEST_VERSION):
        _apply(conn, version)
    return schema_version(conn)


def check_not_newer(conn: sqlite3.Connection, path: Path) -> None:
    found = schema_version(conn)
    if found > LATEST_VERSION:
        raise UserError(
            f"the catalog {path} was made by a newer artforge (schema version {found}, this "
            f"one knows up to {LATEST_VERSION}); upgrade artforge to use it."
        )


def _apply(conn: sqlite3.Connection, version: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        if schema_version(conn) == version:
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # some errors make SQLite roll back by itself
            conn.execute("ROLLBACK")
        raise
