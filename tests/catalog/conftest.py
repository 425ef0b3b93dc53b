"""Catalog fixtures: a catalog in tmp_path, and two tiny pipelines that `reproduce` can run."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from artforge.catalog.db import connect
from artforge.catalog.records import record_work
from artforge.core.registry import PIPELINES

DETERMINISTIC = "test.catalog.bytes"
NON_DETERMINISTIC = "test.catalog.random"


@PIPELINES.register(DETERMINISTIC)
def bytes_pipeline(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
    Path(out).write_bytes(f"{params['text']}|{seed}".encode())
    return Path(out)


@PIPELINES.register(NON_DETERMINISTIC)
def random_pipeline(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
    Path(out).write_bytes(os.urandom(32))
    return Path(out)


@pytest.fixture(autouse=True)
def catalog_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("ARTFORGE_HOME", str(home))
    return home


@pytest.fixture
def db(catalog_home: Path) -> Iterator:
    """The default catalog (under ARTFORGE_HOME), which the CLI opens too."""
    conn = connect()
    yield conn
    conn.close()


@pytest.fixture
def make_work(tmp_path: Path, db) -> Callable[..., int]:
    """Run a test pipeline into tmp_path/works and catalogue the file; returns the work id."""

    def make(
        name: str = "poem.txt",
        pipeline: str = DETERMINISTIC,
        medium: str = "text",
        params: dict[str, Any] | None = None,
        seed: int = 7,
        model_path: Path | None = None,
    ) -> int:
        params = params if params is not None else {"text": "hello"}
        out = tmp_path / "works" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        PIPELINES.get(pipeline)(params, seed, str(model_path) if model_path else None, out)
        return record_work(medium, pipeline, params, seed, out, model_path=model_path, conn=db)

    return make
