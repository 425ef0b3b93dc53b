"""Debian .deb files read in pure Python: an ar archive whose data.tar holds the files."""

import io
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path


def ar_members(blob: bytes) -> Iterator[tuple[str, bytes]]:
    """(name, content) of each member of an ar archive."""
    if blob[:8] != b"!<arch>\n":
        raise ValueError("not an ar archive")
    pos = 8
    while pos + 60 <= len(blob):
        header = blob[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        yield name, blob[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)


def extract_deb(deb: Path, dest: Path, want: Callable[[str], bool]) -> None:
    """Extract the members of deb's data.tar for which want(path) is true (`dpkg-deb` only for
    a zstd data.tar, which the standard library cannot read)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in ar_members(deb.read_bytes()):
        if not name.startswith("data.tar"):
            continue
        if name.endswith(".zst"):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(dest)], check=True)
            return
        mode = "r:xz" if name.endswith(".xz") else "r:gz" if name.endswith(".gz") else "r:"
        with tarfile.open(fileobj=io.BytesIO(data), mode=mode) as tar:
            for member in tar:
                path = member.name.lstrip("./")
                if member.isfile() and want(path):
                    out = dest / path
                    out.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as src, open(out, "wb") as fh:
                        shutil.copyfileobj(src, fh)
        return
    raise ValueError(f"{deb}: no data.tar member")


def deb_version(deb: Path) -> str:
    """The version in a .deb's file name: pkg_1%3a1.2-3_all.deb → 1:1.2-3."""
    parts = deb.name.split("_")
    return parts[1].replace("%3a", ":") if len(parts) >= 3 else "?"
