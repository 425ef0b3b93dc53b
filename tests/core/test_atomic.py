"""core.atomic.replace_entries: the named entries of a folder are replaced all together or not
at all, whatever rename a kill -9 stops at, and the other entries are left alone."""

import os
from pathlib import Path

import pytest

from artforge.core import atomic
from artforge.core.atomic import recover_entries, replace_entries

NAMES = ("paintings", "SOURCES.md", "photos")
OLD = {"SOURCES.md": b"old sources", "paintings/a.jpg": b"old a", "paintings/b.jpg": b"old b"}
NEW = {"SOURCES.md": b"new sources", "paintings/c.jpg": b"new c", "photos/d.jpg": b"new d"}
OTHERS = {".cache/deb/x.deb": b"cached", "notes.txt": b"the user's"}


class Killed(BaseException):
    """kill -9: nothing after it runs, not even the except blocks of the code it stops."""


def write(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, and every empty folder as None."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
        elif not any(path.iterdir()):
            found[path.relative_to(folder).as_posix()] = None
    return found


@pytest.fixture
def stage(tmp_path):
    return write(tmp_path / "stage", NEW)


def test_named_entries_are_replaced_and_the_others_left_alone(stage, tmp_path):
    target = write(tmp_path / "libraries", OLD | OTHERS)
    replace_entries(stage, target, NAMES)
    assert contents(target) == NEW | OTHERS
    assert contents(stage) == {}


def test_a_missing_target_is_made(stage, tmp_path):
    replace_entries(stage, tmp_path / "new" / "libraries", NAMES)
    assert contents(tmp_path / "new") == {f"libraries/{k}": v for k, v in NEW.items()}


def test_a_name_not_in_stage_changes_nothing(stage, tmp_path):
    target = write(tmp_path / "libraries", OLD)
    with pytest.raises(ValueError, match=r"cannot replace \['\.\./x', 'abstract'\]"):
        replace_entries(stage, target, ("paintings", "../x", "abstract"))
    assert contents(target) == OLD and contents(stage) == NEW


def kill_at_rename(monkeypatch, number: int) -> None:
    """os.rename kills the process at its `number`th call (1 = the first)."""
    real, calls = os.rename, []

    def rename(src, dst):
        calls.append(src)
        if len(calls) == number:
            raise Killed
        real(src, dst)

    monkeypatch.setattr(atomic.os, "rename", rename)
    monkeypatch.setattr(atomic, "_recover", lambda target: None)


# paintings and SOURCES.md are each renamed aside then in, photos (new) only in: 5 renames.
@pytest.mark.parametrize("number, before_recovery", [
    (1, OLD),
    (2, {"SOURCES.md": b"old sources"}),
    (3, {"SOURCES.md": b"old sources", "paintings/c.jpg": b"new c"}),
    (4, {"paintings/c.jpg": b"new c"}),
    (5, {"SOURCES.md": b"new sources", "paintings/c.jpg": b"new c"}),
])
def test_a_kill_at_any_rename_is_rolled_back_to_the_old_entries(number, before_recovery, stage,
                                                                  tmp_path, monkeypatch):
    target = write(tmp_path / "libraries", OLD | OTHERS)
    kill_at_rename(monkeypatch, number)
    with pytest.raises(Killed):
        replace_entries(stage, target, NAMES)
    monkeypatch.undo()
    named = {k: v for k, v in contents(target).items() if k.split("/")[0] in NAMES}
    assert named == before_recovery  # mixed, as the kill left it
    recover_entries(target)
    assert contents(target) == OLD | OTHERS


def test_a_kill_after_every_rename_is_finished_with_the_new_entries(stage, tmp_path,
                                                                     monkeypatch):
    target = write(tmp_path / "libraries", OLD | OTHERS)
    real = os.unlink

    def unlink(path, *args, **kwargs):
        if Path(path).name == atomic.JOURNAL:
            raise Killed
        real(path, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "unlink", unlink)
    monkeypatch.setattr(atomic, "_recover", lambda target: None)
    with pytest.raises(Killed):
        replace_entries(stage, target, NAMES)
    monkeypatch.undo()
    assert (target / atomic.JOURNAL).is_file() and (target / atomic.ASIDE / "paintings").is_dir()
    recover_entries(target)
    assert contents(target) == NEW | OTHERS


def test_a_failed_rename_rolls_back_at_once(stage, tmp_path, monkeypatch):
    target = write(tmp_path / "libraries", OLD | OTHERS)
    real = os.rename

    def rename(src, dst):
        if Path(src) == stage / "SOURCES.md":
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(atomic.os, "rename", rename)
    with pytest.raises(OSError, match="No space left"):
        replace_entries(stage, target, NAMES)
    assert contents(target) == OLD | OTHERS
    # paintings was moved in and deleted by the rollback; the rest was never moved
    assert contents(stage) == {"SOURCES.md": b"new sources", "photos/d.jpg": b"new d"}


def test_the_next_replace_recovers_an_interrupted_one_first(stage, tmp_path, monkeypatch):
    target = write(tmp_path / "libraries", OLD)
    kill_at_rename(monkeypatch, 3)
    with pytest.raises(Killed):
        replace_entries(stage, target, NAMES)
    monkeypatch.undo()
    again = write(tmp_path / "again", {"SOURCES.md": b"again", "paintings/e.jpg": b"e",
                                       "photos/f.jpg": b"f"})
    replace_entries(again, target, NAMES)
    assert contents(target) == {"SOURCES.md": b"again", "paintings/e.jpg": b"e",
                                "photos/f.jpg": b"f"}


def test_a_recovery_leaves_a_live_replace_alone(stage, tmp_path, monkeypatch):
    """A reader's recovery while a replace still holds the folder (its lock) does nothing;
    once the replace is gone (the system drops its lock), the same call rolls it back."""
    target = write(tmp_path / "libraries", OLD | OTHERS)
    kill_at_rename(monkeypatch, 3)
    with pytest.raises(Killed):
        replace_entries(stage, target, NAMES)
    monkeypatch.undo()
    mixed = contents(target)
    with atomic._replace_lock(target, wait=True):  # the live replace
        recover_entries(target)
        assert contents(target) == mixed
    recover_entries(target)
    assert contents(target) == OLD | OTHERS
