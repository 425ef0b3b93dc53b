"""What of this repository travels to a lent GPU machine, and the shipped models held out of it.

The device tool copies the tracked files, the untracked files git does not ignore and the
carried paths, and refuses a call when they pass 64 MiB; the shipped models alone are ~110 MiB
of tracked files. `hold` moves every shipped model folder but the kept ones (by default what
scripts/gpu-train.sh loads) and the docs' pictures (`--also`) to a folder outside the
repository and takes them out of git's index, so they travel neither as tracked nor as
untracked files; `restore` puts them back and resets their index entries to HEAD, after which
`git status` is as before the hold.

    python scripts/device_tree.py size [--carry PATH ...] [--repo DIR]
    python scripts/device_tree.py hold [--keep NAME ...] [--also PATH ...] [--to DIR] [--repo DIR]
    python scripts/device_tree.py restore [--to DIR] [--repo DIR]

While they are held, their deletion is staged: commit nothing until `restore`, and run nothing
that loads the models (tests, training). Needs only git and Python's standard library.
"""

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

TRAVEL_LIMIT = 64 * 2**20
MIB = 2**20
MODELS = Path("src/artforge/assets/models")
NEEDED_ON_GPU = ("adain", "paintings-gan")
"""The shipped models scripts/gpu-train.sh loads: builtin:adain (instant's teacher) and
builtin:paintings-gan (--init-from); fast-styles starts from .devcarry/fast-styles-start."""
HELD_ALSO = ("docs/images",)
"""Held besides the models: the docs' pictures (8.9 MiB), which no training reads."""
MANIFEST = "held.json"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout


def repo_root(start: Path) -> Path:
    return Path(git(start, "rev-parse", "--show-toplevel").strip())


def file_sizes(folder: Path) -> dict[Path, int]:
    """Every file (and link) under `folder`, or `folder` itself when it is a file: its size."""
    paths = [folder] if not folder.is_dir() else folder.rglob("*")
    return {path: path.lstat().st_size for path in paths
            if path.is_symlink() or path.is_file()}


def travelling_files(root: Path, carry: list[str]) -> dict[str, int]:
    """Size of each file that travels, by its path in the repository: tracked ones that exist,
    untracked ones git does not ignore, and those under the carried paths (which replace any
    the tree has there)."""
    listed = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    sizes = {}
    for name in dict.fromkeys(listed.split("\0")):
        path = root / name
        if name and (path.is_symlink() or path.is_file()):
            sizes[name] = path.lstat().st_size
    for carried in carry:
        inside = Path(os.path.normpath(root / carried)).relative_to(root)
        sizes = {name: size for name, size in sizes.items()
                 if not Path(name).is_relative_to(inside)}
        sizes |= {str(path.relative_to(root)): size
                  for path, size in file_sizes(root / inside).items()}
    return sizes


def report_size(root: Path, carry: list[str], folders: int = 12, depth: int = 5) -> int:
    """Print what would travel, in all and by its biggest folders (`depth` levels deep)."""
    sizes = travelling_files(root, carry)
    total = sum(sizes.values())
    by_folder = Counter()
    for name, size in sizes.items():
        by_folder[str(Path(*Path(name).parent.parts[:depth]))] += size
    for folder, size in by_folder.most_common(folders):
        print(f"{size / MIB:8.2f} MiB  {folder}/")
    verdict = "fits" if total <= TRAVEL_LIMIT else "is OVER"
    print(f"{total / MIB:8.2f} MiB  travels ({len(sizes)} files) with carry {carry}: "
          f"{verdict} the {TRAVEL_LIMIT // MIB} MiB limit")
    return total


def default_store(root: Path) -> Path:
    """Beside the repository (/work/held-models for /work/main), so no listing sees it."""
    return root.parent / "held-models"


def hold(root: Path, keep: list[str], also: list[str], store: Path) -> None:
    """Move every shipped model folder but `keep`, and the paths `also`, to `store` and out of
    git's index."""
    # 1. Check: a store outside the repository, no hold in place, known names, nothing staged.
    store = store.resolve()
    if store.is_relative_to(root):
        sys.exit(f"{store} is inside the repository: hold the models outside it (--to).")
    if (store / MANIFEST).exists():
        sys.exit(f"models are already held in {store}; restore them first.")
    shipped = sorted(path.name for path in (root / MODELS).iterdir() if path.is_dir())
    unknown = sorted(set(keep) - set(shipped))
    if unknown:
        sys.exit(f"no shipped model {', '.join(unknown)}; the shipped ones are "
                 f"{', '.join(shipped)}.")
    missing = [path for path in also if not (root / path).exists()]
    if missing:
        sys.exit(f"there is no {', '.join(missing)} to hold.")
    paths = [str(MODELS / name) for name in shipped if name not in keep] + list(also)
    if git(root, "diff", "--cached", "--name-only", "--", *paths):
        sys.exit("some of these paths have staged changes, which restore would reset: "
                 "commit or unstage them first.")
    # 2. The manifest first, so that restore finds what a failed hold had moved.
    store.mkdir(parents=True, exist_ok=True)
    size = sum(sum(file_sizes(root / path).values()) for path in paths)
    manifest = {"repo": str(root), "held": paths, "bytes": size}
    (store / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    git(root, "rm", "-r", "--cached", "-q", "--ignore-unmatch", "--", *paths)
    for path in paths:
        (store / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(root / path, store / path)
    print(f"held {len(paths)} paths ({size / MIB:.1f} MiB) in {store}, keeping the models "
          f"{', '.join(keep) or 'none'}; their deletion is staged: commit nothing until "
          f"`python scripts/device_tree.py restore`.")


def same_tree(first: Path, second: Path) -> bool:
    files = [{path.relative_to(top) for path in file_sizes(top)} for top in (first, second)]
    return files[0] == files[1] and all(
        filecmp.cmp(first / name, second / name, shallow=False) for name in files[0])


def restore(root: Path, store: Path) -> None:
    """Put the paths held in `store` back and their index entries back to HEAD's."""
    store = store.resolve()
    if not (store / MANIFEST).exists():
        print(f"nothing is held in {store}.")
        return
    manifest = json.loads((store / MANIFEST).read_text())
    if Path(manifest["repo"]) != root:
        sys.exit(f"the paths in {store} were held from {manifest['repo']}, not {root}.")
    paths = manifest["held"]
    # 1. Refuse before moving anything when a path is back in the tree with other files.
    for path in paths:
        if (store / path).exists() and (root / path).exists() \
                and not same_tree(store / path, root / path):
            sys.exit(f"{root / path} exists and differs from the held {store / path}: "
                     "move one of them away, then restore again.")
    # 2. Move back (a copy already there is the same: drop the held one), reset the index.
    for path in paths:
        held, back = store / path, root / path
        if not held.exists():  # restored already
            continue
        if not back.exists():
            shutil.move(held, back)
        elif held.is_dir():
            shutil.rmtree(held)
        else:
            held.unlink()
    git(root, "reset", "-q", "--", *paths)
    (store / MANIFEST).unlink()
    emptied = {folder for path in paths for folder in (store / path).parents
               if folder.is_relative_to(store)}
    for folder in sorted(emptied, reverse=True):  # the deepest first
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    changed = git(root, "status", "--porcelain", "--", *paths)
    print(f"restored {len(paths)} paths to {root}; git status of them: "
          + ("clean" if not changed else f"\n{changed}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--repo", type=Path, default=Path.cwd(),
                        help="the repository (default: the one the current folder is in)")
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--to", type=Path,
                       help="where held models are kept (default: held-models beside the "
                            "repository)")
    commands = parser.add_subparsers(dest="command", required=True)
    size_args = commands.add_parser("size", parents=[common], help="MiB that would travel")
    size_args.add_argument("--carry", nargs="*", default=[], help="paths the call carries")
    hold_args = commands.add_parser("hold", parents=[common, store],
                                    help="move shipped models (and --also) out of the tree")
    hold_args.add_argument("--keep", nargs="*", default=list(NEEDED_ON_GPU),
                           help=f"models to leave (default: {' '.join(NEEDED_ON_GPU)})")
    hold_args.add_argument("--also", nargs="*", default=list(HELD_ALSO),
                           help=f"other paths to hold (default: {' '.join(HELD_ALSO)})")
    commands.add_parser("restore", parents=[common, store], help="put them back")
    args = parser.parse_args()
    root = repo_root(args.repo)
    if args.command == "size":
        report_size(root, args.carry)
    elif args.command == "hold":
        hold(root, args.keep, args.also, args.to or default_store(root))
    else:
        restore(root, args.to or default_store(root))


if __name__ == "__main__":
    main()
