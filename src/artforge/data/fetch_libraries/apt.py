"""`apt-get download`: Debian packages fetched into a folder, with the checks that turn a
missing apt-get, stale package lists or no network into one clear sentence."""

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from artforge.errors import UserError

NETWORK_TROUBLE = re.compile(r"Failed to fetch|Could not resolve|Could not connect|"
                             r"Temporary failure|Unable to connect|Network is unreachable")


def cached_deb(package: str, folder: Path) -> Path | None:
    """The newest .deb of `package` already in `folder`, if any."""
    have = sorted(folder.glob(f"{package}_*.deb"))
    return have[-1] if have else None


def apt_download(package: str, folder: Path, report: Callable[[str], None]) -> Path:
    """The .deb of `package` in `folder`, downloaded unless it is there already."""
    folder.mkdir(parents=True, exist_ok=True)
    have = cached_deb(package, folder)
    if have:
        return have
    report(f"  apt-get download {package}")
    done = subprocess.run(["apt-get", "download", package], cwd=folder, capture_output=True,
                          text=True)
    have = cached_deb(package, folder)
    if have:
        return have
    error = done.stderr.strip()
    if NETWORK_TROUBLE.search(error):
        reason = error.splitlines()[-1].removeprefix("E: ").split("  ")[-1]
        raise UserError(f"could not download the Debian package {package} ({reason}); the "
                        "picture libraries need a network that reaches the Debian mirror.")
    raise RuntimeError(f"apt-get download {package} failed: {error[-300:]}")


def check_apt(packages: list[str], folder: Path, report: Callable[[str], None]) -> None:
    """Fail early, in one sentence, when apt-get cannot download the packages not yet in
    `folder`: it is missing, its package lists do not know them (`apt-get update`, which needs
    root, fixes that), or the network does not reach the mirror (the smallest of them is
    downloaded to see). A few unknown packages only leave their pictures out."""
    missing = [p for p in packages if cached_deb(p, folder) is None]
    if not missing:
        return
    apt = shutil.which("apt-get")
    if apt is None:
        raise UserError("the picture libraries are built from Debian packages with `apt-get "
                        "download`, and apt-get is not on this machine (Debian or Ubuntu has it).")
    done = subprocess.run([apt, "download", "--print-uris", *missing], capture_output=True,
                          text=True)
    unknown = re.findall(r"Unable to locate package (\S+)", done.stderr)
    if set(unknown) >= set(missing):
        update = "`apt-get update`" if os.geteuid() == 0 else "`sudo apt-get update` (as root)"
        raise UserError(f"apt-get knows none of the Debian packages the picture libraries come "
                        f"from (such as {missing[0]}); update its package lists with {update} "
                        "and run this again.")
    if unknown:
        report(f"  apt-get does not know {', '.join(unknown)}: their pictures are left out "
               "(`apt-get update` may fix that)")
    elif done.returncode != 0:
        said = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        raise UserError(f"apt-get cannot download the Debian packages the picture libraries "
                        f"come from ({said[-1].removeprefix('E: ')}).")
    sizes = re.findall(r"^'\S+' ([^_\s]+)_\S+ (\d+) ", done.stdout, re.M)
    if sizes:
        smallest = min(sizes, key=lambda name_size: int(name_size[1]))[0]
        apt_download(smallest, folder, lambda line: None)
