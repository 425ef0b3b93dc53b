"""Atomic writes: a file, a whole folder or some entries of a folder appear complete or not at
all, even after kill -9.

Every swap renames the old entry aside, renames the new one in, and is recovered by one rule:
if every new entry is already in place the swap is finished (the old ones are deleted),
otherwise it is rolled back (the old ones are put back)."""

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

# mkstemp / mkdtemp create private files (0600 / 0700); what we publish gets the permissions an
# ordinary open() or mkdir() would give under the user's umask.
_UMASK = os.umask(0)
os.umask(_UMASK)

JOURNAL = ".replace-journal.json"
"""In a folder whose entries `replace_entries` is replacing: the names, and which existed."""
ASIDE = ".replace-old"
"""In that folder: where the replaced entries wait until the replace is finished."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """fsync `root` and, for a folder, every file and folder under it."""
    for path in [*sorted(root.rglob("*")), root] if root.is_dir() else [root]:
        if path.is_symlink():
            continue
        if path.is_dir():
            _fsync_dir(path)
        else:
            with open(path, "rb+") as handle:
                os.fsync(handle.fileno())


def _remove(path: Path) -> None:
    """Delete a file or a folder tree; nothing if there is none."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def _swap_in(new: Path, target: Path, aside: Path) -> None:
    """Rename `target`, if there is one, to `aside`, then `new` to `target`."""
    if os.path.lexists(target):
        os.rename(target, aside)
    os.rename(new, target)


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary sibling and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces `target` in one rename.

    An existing `target` is first renamed to `target.old` and removed after the swap; if the
    process dies between the two renames, `recover_folder` puts the old one back.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_folder(target)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        os.chmod(tmp, 0o777 & ~_UMASK)
        yield tmp
        _fsync_tree(tmp)
        old = target.with_name(target.name + ".old")
        _swap_in(tmp, target, old)
        _fsync_dir(target.parent)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def recover_folder(target: Path) -> None:
    """Finish (the new `target` is in place) or undo (it is not) a swap that `atomic_folder`
    was interrupted in."""
    target = Path(target)
    old = target.with_name(target.name + ".old")
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, target)


def replace_entries(stage: Path, target: Path, names: Sequence[str]) -> None:
    """Move the entries `names` (files or folders) of `stage` into `target`, replacing those of
    the same name there; other entries of `target` are left alone. `stage` must be on the same
    file system as `target` (a folder beside it), so that the moves are renames.

    An interrupted replace is recovered by `recover_entries` (run first by the next replace):
    finished if every new entry had been moved in, rolled back otherwise, so `target` never
    keeps a mix of old and new entries. A failed rename rolls back at once. A rollback deletes
    the new entries it had moved in; those not moved yet stay in `stage`.
    """
    stage, target = Path(stage), Path(target)
    names = list(names)
    bad = [name for name in names if Path(name).name != name or name in (JOURNAL, ASIDE)
           or not os.path.lexists(stage / name)]
    if bad:
        raise ValueError(f"cannot replace {bad}: each must be an entry of {stage}.")
    target.mkdir(parents=True, exist_ok=True)
    with _replace_lock(target, wait=True):
        _recover(target)
        _fsync_tree(stage)
        aside = target / ASIDE
        aside.mkdir()
        existing = [name for name in names if os.path.lexists(target / name)]
        write_text(target / JOURNAL, json.dumps({"names": names, "existing": existing}))
        try:
            for name in names:
                _swap_in(stage / name, target / name, aside / name)
            _fsync_dir(aside)
            _fsync_dir(target)
        except BaseException:
            with contextlib.suppress(OSError):
                _recover(target)
            raise
        _finish(target)


def recover_entries(target: Path) -> None:
    """Finish or roll back a `replace_entries` into `target` that was interrupted: finished
    (the old entries deleted) when every new entry is in place, rolled back (the old entries
    put back, the new ones deleted) otherwise. Nothing when no replace was interrupted (two
    checks that a file exists, so readers may call it; nothing is written then) or while a
    live one holds the folder's lock (it finishes or rolls back itself)."""
    target = Path(target)
    if not (os.path.lexists(target / JOURNAL) or os.path.lexists(target / ASIDE)):
        return
    with _replace_lock(target, wait=False) as held:
        if held:
            _recover(target)


@contextlib.contextmanager
def _replace_lock(target: Path, wait: bool) -> Iterator[bool]:
    """Hold a lock (flock) on the folder `target` itself, as a replace does while it runs, so
    that a recovery started by someone else (a reader) never undoes a live replace; the system
    drops it if the replace dies. Without `wait`, yield False at once if it is held."""
    descriptor = os.open(target, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)


def _recover(target: Path) -> None:
    """recover_entries' work, the lock held."""
    journal = target / JOURNAL
    if not journal.exists():
        _remove(target / ASIDE)  # the leftovers of a replace finished or rolled back
        return
    state = json.loads(journal.read_text(encoding="utf-8"))
    names, existing = state["names"], set(state["existing"])
    aside = target / ASIDE
    moved_in = all(os.path.lexists(target / name)
                   and (name not in existing or os.path.lexists(aside / name)) for name in names)
    if not moved_in:
        for name in names:
            if os.path.lexists(aside / name):
                _remove(target / name)
                os.rename(aside / name, target / name)
            elif name not in existing:
                _remove(target / name)
        _fsync_dir(target)
    _finish(target)


def _finish(target: Path) -> None:
    """Deleting the journal is what makes a replace final; the old entries go after it."""
    os.unlink(target / JOURNAL)
    _fsync_dir(target)
    _remove(target / ASIDE)
