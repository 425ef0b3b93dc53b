import sqlite3
from pathlib import Path

import pytest

from artforge.catalog.db import catalog_path, connect
from artforge.errors import UserError


def test_catalog_path_follows_artforge_home(catalog_home: Path):
    assert catalog_path() == catalog_home / "catalog.db"


def test_catalog_path_defaults_to_the_home_folder(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("ARTFORGE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert catalog_path() == tmp_path / ".artforge" / "catalog.db"


def test_connect_creates_the_folder_and_sets_the_pragmas(catalog_home: Path):
    conn = connect()
    assert (catalog_home / "catalog.db").is_file()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert isinstance(conn.execute("SELECT 1 AS one").fetchone(), sqlite3.Row)


def test_foreign_keys_are_enforced(tmp_path: Path):
    conn = connect(tmp_path / "catalog.db")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO works (run_id, medium, pipeline, path, file_sha256, created)"
            " VALUES (999, 'image', 'p', '/x.png', 'ab', 'now')"
        )


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(UserError, match="notes.db"):
        connect(path)
    assert path.read_bytes() == b"these are my notes, not a database" * 100


def test_a_folder_in_place_of_the_file_is_refused(tmp_path: Path):
    (tmp_path / "catalog.db").mkdir()
    with pytest.raises(UserError, match="catalog.db"):
        connect(tmp_path / "catalog.db")
