import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from artforge.catalog import migrations
from artforge.catalog.db import connect
from artforge.catalog.migrations import LATEST_VERSION, V1_CREATE_RUNS_AND_WORKS
from artforge.errors import UserError


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


def _user_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute("PRAGMA user_version").fetchone()[0]


def _make_v1_database(path: Path) -> None:
    """A catalog as the first artforge release left it, with one work in it."""
    raw = sqlite3.connect(path)
    for statement in V1_CREATE_RUNS_AND_WORKS:
        raw.execute(statement)
    raw.execute("PRAGMA user_version = 1")
    raw.execute(
        "INSERT INTO works (medium, pipeline, params, seed, path, file_sha256, created, command)"
        " VALUES ('music', 'lstm.generate', '{\"length\": 64}', 11, '/w/a.mid', 'ab12',"
        " '2024-01-02T03:04:05+00:00', 'artforge music generate')"
    )
    raw.commit()
    raw.close()


def test_fresh_database_gets_the_latest_schema(tmp_path: Path):
    conn = connect(tmp_path / "catalog.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION == 3
    assert {"runs", "works", "models", "jobs"} <= _tables(conn)
    indexes = {row[1] for row in conn.execute("PRAGMA index_list(works)")}
    assert "works_created" in indexes


def test_v1_database_is_upgraded_and_keeps_its_rows(tmp_path: Path):
    path = tmp_path / "old.db"
    _make_v1_database(path)
    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert "models" in _tables(conn)
    row = dict(conn.execute("SELECT * FROM works").fetchone())
    assert row == {
        "id": 1,
        "run_id": None,
        "medium": "music",
        "pipeline": "lstm.generate",
        "params": '{"length": 64}',
        "seed": 11,
        "path": "/w/a.mid",
        "file_sha256": "ab12",
        "model_path": None,
        "model_hash": None,
        "created": "2024-01-02T03:04:05+00:00",
        "versions": "{}",
        "command": "artforge music generate",
        "model_id": None,
    }


def test_connecting_again_applies_nothing_twice(tmp_path: Path):
    path = tmp_path / "catalog.db"
    connect(path).close()
    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


def test_failed_migration_leaves_the_previous_version(tmp_path: Path, monkeypatch):
    path = tmp_path / "catalog.db"
    connect(path).close()
    broken = ("CREATE TABLE half_done (id INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "LATEST_VERSION", LATEST_VERSION + 1)
    with pytest.raises(UserError, match="catalog.db"):
        connect(path)
    assert _user_version(path) == LATEST_VERSION
    with closing(sqlite3.connect(path)) as raw:
        assert "half_done" not in _tables(raw)


def test_database_from_a_newer_artforge_is_refused(tmp_path: Path):
    path = tmp_path / "catalog.db"
    with closing(sqlite3.connect(path)) as raw:
        raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(UserError, match="made by a newer artforge"):
        connect(path)
    assert _user_version(path) == LATEST_VERSION + 1
