from pathlib import Path

import pytest

from artforge.catalog.records import get_work
from artforge.catalog.reproduce import default_out_path, reproduce
from artforge.core import checkpoint
from artforge.errors import UserError

DETERMINISTIC = "test.catalog.bytes"  # registered in conftest.py
NON_DETERMINISTIC = "test.catalog.random"


def test_default_out_path_is_beside_the_original():
    assert default_out_path(Path("/w/sky.png")) == Path("/w/sky.reproduced.png")
    assert default_out_path(Path("/w/notes")) == Path("/w/notes.reproduced")


def test_deterministic_pipeline_reproduces_byte_identical(tmp_path: Path, db, make_work):
    work_id = make_work("poem.txt", params={"text": "moon"}, seed=9)
    result = reproduce(work_id, conn=db)
    expected = tmp_path / "works" / "poem.reproduced.txt"
    assert result == {
        "work_id": work_id,
        "path": str(expected),
        "identical": True,
        "model_changed": False,
    }
    assert expected.read_bytes() == b"moon|9"


def test_non_deterministic_pipeline_is_not_identical(tmp_path: Path, db, make_work):
    work_id = make_work("noise.bin", pipeline=NON_DETERMINISTIC)
    out = tmp_path / "elsewhere" / "again.bin"
    result = reproduce(work_id, out=out, conn=db)
    assert result["identical"] is False
    assert result["path"] == str(out) and out.stat().st_size == 32


def test_unknown_pipeline_lists_the_known_ones(db, make_work):
    work_id = make_work()
    db.execute("UPDATE works SET pipeline = 'gone.away' WHERE id = ?", (work_id,))
    with pytest.raises(UserError, match=rf"'gone.away'.*known: .*{DETERMINISTIC}"):
        reproduce(work_id, conn=db)


def test_model_changed_since_the_work_is_reported(tmp_path: Path, db, make_work, tiny_field):
    folder = checkpoint.save(tiny_field, tmp_path / "model")
    work_id = make_work(model_path=folder)
    assert reproduce(work_id, conn=db)["model_changed"] is False
    heavier = {name: t + 1 for name, t in tiny_field.state_dict().items()}
    checkpoint.save(tiny_field, folder, weights=heavier)
    result = reproduce(work_id, conn=db)
    assert result["model_changed"] is True and result["identical"] is True


def test_missing_model_folder_is_named(tmp_path: Path, db, make_work, tiny_field):
    folder = checkpoint.save(tiny_field, tmp_path / "model")
    work_id = make_work(model_path=folder)
    folder.rename(tmp_path / "gone")
    with pytest.raises(UserError, match=f"model folder {folder}"):
        reproduce(work_id, conn=db)


def test_the_original_is_never_overwritten(db, make_work):
    work_id = make_work()
    original = Path(get_work(work_id, conn=db)["path"])
    with pytest.raises(UserError, match="original"):
        reproduce(work_id, out=original, conn=db)
    assert original.read_bytes() == b"hello|7"


def test_unknown_work_is_a_user_error(db):
    with pytest.raises(UserError, match="no work with id 3"):
        reproduce(3, conn=db)
