import hashlib
import re
from pathlib import Path

import pytest

from artforge.catalog import records
from artforge.catalog.records import (
    finish_run,
    get_model,
    get_run,
    get_work,
    list_runs,
    list_works,
    record_model,
    record_run,
    record_work,
)
from artforge.core import checkpoint
from artforge.core.versions import package_versions
from artforge.errors import UserError

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


def test_run_round_trip(tmp_path: Path, db):
    run_id = record_run("lstm.train", "artforge music train", {"lr": 0.01}, 3, tmp_path, conn=db)
    run = get_run(run_id, conn=db)
    assert run["kind"] == "lstm.train"
    assert run["command"] == "artforge music train"
    assert run["params"] == {"lr": 0.01}
    assert run["seed"] == 3
    assert run["out_dir"] == str(tmp_path.resolve())
    assert run["status"] == "running"
    assert ISO_UTC.match(run["started"]) and run["finished"] is None
    assert run["versions"] == package_versions()
    assert run["metrics"] is None

    finish_run(run_id, "steps", {"loss": 0.25, "step": 100}, conn=db)
    run = get_run(run_id, conn=db)
    assert run["status"] == "steps"
    assert ISO_UTC.match(run["finished"])
    assert run["metrics"] == {"loss": 0.25, "step": 100}


def test_work_round_trip(tmp_path: Path, db):
    path = tmp_path / "poem.txt"
    path.write_text("月落乌啼霜满天\n", encoding="utf-8")
    params = {"prompt": "月落", "top_k": 40, "out": tmp_path / "x"}
    work_id = record_work(
        "text", "gpt.generate", params, 42, path, command="artforge text", conn=db
    )
    work = get_work(work_id, conn=db)
    assert work == {
        "id": work_id,
        "run_id": None,
        "medium": "text",
        "pipeline": "gpt.generate",
        "params": {"prompt": "月落", "top_k": 40, "out": str(tmp_path / "x")},
        "seed": 42,
        "path": str(path.resolve()),
        "file_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "model_path": None,
        "model_hash": None,
        "model_id": None,
        "created": work["created"],
        "versions": package_versions(),
        "command": "artforge text",
    }
    assert ISO_UTC.match(work["created"])


def test_work_made_with_a_catalogued_model_links_to_it(tmp_path: Path, db, tiny_field):
    folder = checkpoint.save(tiny_field, tmp_path / "model")
    run_id = record_run("field.train", None, {}, 0, tmp_path, conn=db)
    model_id = record_model(run_id, folder, "field", {"hidden": 8}, conn=db)
    model = get_model(model_id, conn=db)
    assert model["run_id"] == run_id and model["kind"] == "field"
    assert model["folder_hash"] == checkpoint.folder_hash(folder)
    assert model["config"] == {"hidden": 8}

    (tmp_path / "a.png").write_bytes(b"png")
    work_id = record_work("image", "p", {}, 0, tmp_path / "a.png", model_path=folder, conn=db)
    work = get_work(work_id, conn=db)
    assert work["model_id"] == model_id
    assert work["model_path"] == str(folder.resolve())
    assert work["model_hash"] == model["folder_hash"]


def test_lists_are_newest_first_and_filtered(tmp_path: Path, db, make_work):
    image = make_work("a.png", medium="image")
    text = make_work("b.txt", medium="text")
    image_again = make_work("c.png", medium="image")
    assert [w["id"] for w in list_works(conn=db)] == [image_again, text, image]
    assert [w["id"] for w in list_works(medium="image", conn=db)] == [image_again, image]
    assert [w["id"] for w in list_works(limit=1, conn=db)] == [image_again]
    assert list_works(medium="music", conn=db) == []

    first = record_run("a", None, {}, None, None, conn=db)
    second = record_run("b", None, {}, None, None, conn=db)
    assert [r["id"] for r in list_runs(conn=db)] == [second, first]


def test_without_conn_the_default_catalog_is_used(tmp_path: Path, catalog_home: Path):
    path = tmp_path / "a.txt"
    path.write_text("a")
    work_id = record_work("text", "p", {}, 1, path)
    assert (catalog_home / "catalog.db").is_file()
    assert list_works()[0]["id"] == work_id == get_work(work_id)["id"]


@pytest.mark.parametrize(
    "call",
    [
        lambda db: get_work(5, conn=db),
        lambda db: get_run(5, conn=db),
        lambda db: get_model(5, conn=db),
        lambda db: finish_run(5, "failed", conn=db),
    ],
)
def test_unknown_id_is_a_user_error(db, call):
    with pytest.raises(UserError, match="with id 5"):
        call(db)


def test_work_of_an_unknown_run_is_refused(tmp_path: Path, db):
    (tmp_path / "a.txt").write_text("a")
    with pytest.raises(UserError, match="no run with id 9"):
        record_work("text", "p", {}, 1, tmp_path / "a.txt", run_id=9, conn=db)
    assert list_works(conn=db) == []


def test_missing_file_is_a_user_error(tmp_path: Path, db):
    with pytest.raises(UserError, match="missing.png"):
        record_work("image", "p", {}, 1, tmp_path / "missing.png", conn=db)


def test_bad_limit_and_seed_are_user_errors(tmp_path: Path, db):
    with pytest.raises(UserError, match="--limit"):
        list_works(limit=0, conn=db)
    (tmp_path / "a.txt").write_text("a")
    with pytest.raises(UserError, match="seed"):
        record_work("text", "p", {}, 2**64, tmp_path / "a.txt", conn=db)


def test_to_json_refuses_what_it_cannot_store():
    with pytest.raises(TypeError, match="object"):
        records.to_json({"x": object()})


def test_a_run_killed_before_finishing_is_marked_interrupted(tmp_path):
    from artforge.catalog.db import connect

    conn = connect(tmp_path / "c.db")
    killed = records.record_run("field.train", "artforge demo", {}, 0, tmp_path / "a", conn=conn)
    other = records.record_run("field.train", "artforge demo", {}, 0, tmp_path / "b", conn=conn)
    resumed = records.record_run("field.train", "artforge demo", {}, 0, tmp_path / "a", conn=conn)
    assert records.get_run(killed, conn=conn)["status"] == "interrupted"
    assert records.get_run(other, conn=conn)["status"] == "running"
    assert records.get_run(resumed, conn=conn)["status"] == "running"
