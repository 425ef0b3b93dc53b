"""Tiny Debian packages and a fake apt-get that hands them out, so that the picture-library
build runs end to end with no network."""

import io
import os
import stat
import tarfile
from pathlib import Path

from PIL import Image

FAKE_APT = """#!/bin/sh
URL=http://deb.debian.org/debian/pool/main/x
# apt-get download [--print-uris] PACKAGE...: the .deb files in $FAKE_DEBS; with
# FAKE_APT_OFFLINE set, downloads fail as they do without a network.
shift
if [ "$1" = --print-uris ]; then
  shift; status=0
  for p; do
    if [ -e "$FAKE_DEBS/${p}_1.0-1_all.deb" ]; then
      echo "'$URL/${p}_1.0-1_all.deb' ${p}_1.0-1_all.deb 1000 SHA256:0"
    else
      echo "E: Unable to locate package $p" >&2; status=100
    fi
  done
  exit $status
fi
if [ -n "$FAKE_APT_OFFLINE" ]; then
  echo "E: Failed to fetch $URL/$1_1.0-1_all.deb  Temporary failure resolving 'deb.debian.org'" >&2
  exit 100
fi
cp "$FAKE_DEBS/$1_1.0-1_all.deb" .
"""


def _ar_member(name: str, data: bytes) -> bytes:
    header = (f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n").encode()
    return header + data + (b"\n" if len(data) % 2 else b"")


def write_deb(folder: Path, package: str, files: dict[str, bytes]) -> Path:
    """folder/PACKAGE_1.0-1_all.deb whose data.tar.xz holds `files` (path → content)."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:xz") as tar:
        for path, content in files.items():
            info = tarfile.TarInfo("./" + path)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    deb = folder / f"{package}_1.0-1_all.deb"
    deb.write_bytes(b"!<arch>\n" + _ar_member("debian-binary", b"2.0\n")
                    + _ar_member("data.tar.xz", data.getvalue()))
    return deb


def png(size: tuple[int, int], colour: tuple[int, int, int], stripes: int = 0) -> bytes:
    """A PNG of one colour, with `stripes` dark vertical stripes (so pictures differ in shape)."""
    image = Image.new("RGB", size, colour)
    for i in range(stripes):
        x = (2 * i + 1) * size[0] // (2 * stripes + 1)
        image.paste((10, 10, 10), (x, 0, x + size[0] // (4 * stripes + 2), size[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def fake_apt(folder: Path) -> Path:
    """A folder holding the fake `apt-get` (put it first on PATH)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "apt-get"
    script.write_text(FAKE_APT)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


def with_fake_apt(monkeypatch, root: Path, offline: bool = False) -> Path:
    """Put the fake apt-get first on PATH, handing out the .deb files in root/debs."""
    debs = root / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("PATH", f"{fake_apt(root / 'bin')}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_DEBS", str(debs))
    if offline:
        monkeypatch.setenv("FAKE_APT_OFFLINE", "1")
    return debs
