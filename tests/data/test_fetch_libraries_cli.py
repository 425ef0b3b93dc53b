"""`artforge data fetch-libraries`: bad input is one sentence and exit 2, a failed build leaves
the earlier libraries as they were, and a build from tiny fake Debian packages (no network)
writes the pictures and SOURCES.md."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from artforge.cli import app
from artforge.data.fetch_libraries import wallpapers
from tests.data.debs import png, with_fake_apt, write_deb

OTHER_SOURCES = ("gcompris", "endless-sky", "wesnoth", "opencv", "tuxpaint", "samples")
ONLY_WALLPAPERS = [arg for name in OTHER_SOURCES for arg in ("--skip", name)]


def fetch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "artforge", "data", "fetch-libraries", *args],
                          capture_output=True, text=True, timeout=300)


def assert_one_line_error(done: subprocess.CompletedProcess, message: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"error: {message}\n"


def test_an_out_folder_that_cannot_be_written_is_one_sentence(tmp_path):
    (tmp_path / "file").write_text("")
    assert_one_line_error(fetch("--out", str(tmp_path / "file" / "libraries")),
                          "cannot write the picture libraries to "
                          f"{tmp_path / 'file' / 'libraries'} (File exists: {tmp_path / 'file'}).")
    assert_one_line_error(fetch("--out", str(tmp_path / "file")),
                          f"cannot write the picture libraries to {tmp_path / 'file'}: it is "
                          "a file.")


def test_no_apt_get_is_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    done = fetch("--out", str(tmp_path / "libraries"))
    assert_one_line_error(done, "the picture libraries are built from Debian packages with "
                                "`apt-get download`, and apt-get is not on this machine (Debian "
                                "or Ubuntu has it).")
    assert list(tmp_path.iterdir()) == []


def test_package_lists_without_the_packages_say_to_update_them(tmp_path, monkeypatch):
    with_fake_apt(monkeypatch, tmp_path)  # no .deb to hand out: apt knows none
    done = fetch("--out", str(tmp_path / "libraries"))
    assert_one_line_error(done, "apt-get knows none of the Debian packages the picture "
                                "libraries come from (such as gcompris-qt-data); update its "
                                "package lists with `apt-get update` and run this again.")


def test_not_root_is_told_to_update_the_lists_as_root(tmp_path, monkeypatch):
    with_fake_apt(monkeypatch, tmp_path)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    result = CliRunner().invoke(app, ["data", "fetch-libraries", "--out",
                                      str(tmp_path / "libraries")])
    assert result.exit_code == 2
    assert result.stderr == ("error: apt-get knows none of the Debian packages the picture "
                             "libraries come from (such as gcompris-qt-data); update its "
                             "package lists with `sudo apt-get update` (as root) and run this "
                             "again.\n")


def _earlier_library(out):
    (out / "abstract").mkdir(parents=True)
    (out / "abstract" / "earlier.jpg").write_bytes(b"earlier")
    (out / "SOURCES.md").write_text("earlier")


def _wallpaper_debs(debs):
    """The wallpaper packages; only xfdesktop4-data holds pictures."""
    for package in wallpapers.PACKAGES:
        copyright_ = f"Files: *\nCopyright: 2024 {package} authors\nLicense: GPL-2+\n".encode()
        files = {f"usr/share/doc/{package}/copyright": copyright_}
        if package == "xfdesktop4-data":
            xfce = "usr/share/backgrounds/xfce/"
            files |= {xfce + "blue.png": png((400, 300), (40, 60, 200), stripes=2),
                      xfce + "red.png": png((400, 300), (200, 40, 30), stripes=3),
                      xfce + "red2.png": png((400, 300), (200, 40, 30), stripes=3),
                      xfce + "small.png": png((100, 100), (90, 200, 90)),
                      xfce + "xfce-logo.png": png((400, 300), (250, 250, 250))}
        write_deb(debs, package, files)


def test_no_network_leaves_the_earlier_library_and_nothing_half_written(tmp_path, monkeypatch):
    _wallpaper_debs(with_fake_apt(monkeypatch, tmp_path, offline=True))
    out = tmp_path / "libraries"
    _earlier_library(out)
    done = fetch("--out", str(out), *ONLY_WALLPAPERS)
    assert_one_line_error(done, "could not download the Debian package "
                                "plasma-workspace-wallpapers "
                                "(Temporary failure resolving 'deb.debian.org'); the picture "
                                "libraries need a network that reaches the Debian mirror.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "debs", "libraries"]
    assert sorted(p.name for p in out.rglob("*")) == ["SOURCES.md", "abstract", "earlier.jpg"]


def test_a_build_from_fake_packages_replaces_the_earlier_library(tmp_path, monkeypatch):
    _wallpaper_debs(with_fake_apt(monkeypatch, tmp_path))
    out = tmp_path / "libraries"
    _earlier_library(out)
    done = fetch("--out", str(out), "--keep-cache", *ONLY_WALLPAPERS)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (f"The picture libraries are in {out} (paintings 0, photos 0, "
                           "abstract 2); SOURCES.md there gives every picture's package and "
                           "licence.\n")
    assert "near-duplicate of xfce--red: xfdesktop4-data:/usr/share/backgrounds/xfce/red2.png"\
        in done.stderr
    assert sorted(p.name for p in (out / "abstract").iterdir()) == ["xfce--blue.jpg",
                                                                    "xfce--red.jpg"]
    assert [p.name for p in (out / "photos").iterdir()] == []
    sources = (out / "SOURCES.md").read_text()
    assert "Made by `artforge data fetch-libraries`. Counts: paintings 0, photos 0, abstract 2." \
        in sources
    assert "Skipped: 1 under 256 px on the short side, 1 near-duplicates, 0 unreadable." in sources
    assert ("| xfce--blue.jpg | 400x300 |  | xfdesktop4-data | 1.0-1 | "
            "/usr/share/backgrounds/xfce/blue.png | GPL-2+ (2024 xfdesktop4-data authors) |  |"
            in sources)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # a kept cache needs no apt-get
    again = fetch("--out", str(out), *ONLY_WALLPAPERS)
    assert again.returncode == 0, again.stderr
    assert (out / "SOURCES.md").read_text() == sources
    assert not (out / ".cache").exists()


@pytest.mark.parametrize("args", [["--skip", "nowhere"], ["--out"]])
def test_bad_options_are_usage_errors(args, tmp_path):
    assert fetch(*args).returncode == 2


def test_packages_without_pictures_leave_the_earlier_library(tmp_path, monkeypatch):
    write_deb(with_fake_apt(monkeypatch, tmp_path), "endless-sky-data", {"usr/share/x": b""})
    out = tmp_path / "libraries"
    _earlier_library(out)
    others = [arg for name in ("gcompris", "wesnoth", "opencv", "tuxpaint", "samples",
                               "wallpapers") for arg in ("--skip", name)]
    done = fetch("--out", str(out), *others)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "error: no picture could be taken from the Debian packages (see the messages above), so "
        "the picture libraries were left as they were.")
    assert sorted(p.name for p in out.rglob("*")) == ["SOURCES.md", "abstract", "earlier.jpg"]
