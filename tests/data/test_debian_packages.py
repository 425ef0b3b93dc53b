"""Reading Debian packages for the picture libraries: .deb files, DEP-5 licences, GCompris's
Qt resources, and which packages each source asks apt-get for."""

import struct
import types
import zlib

import pytest

from artforge.cli.data import SOURCE_NAMES
from artforge.data.fetch_libraries.deb import deb_version, extract_deb
from artforge.data.fetch_libraries.dep5 import Dep5
from artforge.data.fetch_libraries.gcompris import readme_licences
from artforge.data.fetch_libraries.package import SourceContext, slug
from artforge.data.fetch_libraries.rcc import read_rcc
from artforge.data.fetch_libraries.sources import SOURCES, chosen_sources
from tests.data.debs import write_deb


def test_a_deb_is_extracted_for_the_files_wanted_only(tmp_path):
    deb = write_deb(tmp_path, "pictures", {"usr/share/a.png": b"png", "usr/bin/tool": b"elf",
                                           "usr/share/doc/pictures/copyright": b"Files: *"})
    extract_deb(deb, tmp_path / "x", want=lambda p: p.endswith((".png", "/copyright")))
    found = sorted(str(p.relative_to(tmp_path / "x")) for p in (tmp_path / "x").rglob("*")
                   if p.is_file())
    assert found == ["usr/share/a.png", "usr/share/doc/pictures/copyright"]
    assert (tmp_path / "x/usr/share/a.png").read_bytes() == b"png"
    assert deb_version(deb) == "1.0-1"
    assert deb_version(tmp_path / "wesnoth_1%3a1.16.9-1_all.deb") == "1:1.16.9-1"


def test_a_file_that_is_not_a_deb_is_refused(tmp_path):
    (tmp_path / "bad.deb").write_bytes(b"not an archive")
    with pytest.raises(ValueError, match="not an ar archive"):
        extract_deb(tmp_path / "bad.deb", tmp_path / "x", want=lambda p: True)


COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

Files: *
Copyright: 2020 The Authors
License: GPL-2+

Files: images/*.png
 extra/sky.jpg
Copyright: 2021 A. Painter
 2022 B. Painter
License: CC0-1.0
 Public domain dedication.
"""


def test_dep5_gives_the_last_matching_stanza_on_path_suffixes(tmp_path):
    (tmp_path / "copyright").write_text(COPYRIGHT)
    dep5 = Dep5.load(tmp_path / "copyright")
    painters = "CC0-1.0 (2021 A. Painter 2022 B. Painter)"
    assert dep5.licence("usr/share/game/images/sun.png") == painters
    assert dep5.licence("usr/share/extra/sky.jpg") == painters
    assert dep5.licence("usr/share/game/sun.webp") == "GPL-2+ (2020 The Authors)"
    assert Dep5.load(tmp_path / "missing").licence("a.png", "see copyright") == "see copyright"


def test_gcompris_readmes_give_licences_to_the_files_they_name(tmp_path):
    (tmp_path / "animals").mkdir()
    (tmp_path / "animals/README").write_text(
        "Files: cat.webp dog.webp\nLicense: CC-BY-SA-4.0\nSource: wikimedia\n\n"
        "owl.webp\nLicense: CC0\n\nnote.webp\nCopyright: nobody\n")
    licences = readme_licences(tmp_path)
    assert licences == {str(tmp_path / "animals/cat.webp"): "CC-BY-SA-4.0 (wikimedia)",
                        str(tmp_path / "animals/dog.webp"): "CC-BY-SA-4.0 (wikimedia)",
                        str(tmp_path / "animals/owl.webp"): "CC0"}


def _rcc(entries: list[tuple[str, int, bytes]]) -> bytes:
    """A version-1 .rcc with a root folder holding folder 'images' (its one file first in
    `entries`) and the other files; flags 1 = zlib (qCompress's 4-byte length first)."""
    names, data, nodes = b"", b"", []
    for name, flags, content in entries:
        raw = struct.pack(">I", len(content)) + zlib.compress(content) if flags & 1 else content
        nodes.append((len(names), flags, len(data)))
        names += struct.pack(">HI", len(name), 0) + name.encode("utf-16-be")
        data += struct.pack(">I", len(raw)) + raw
    folder_name = len(names)
    names += struct.pack(">HI", 6, 0) + "images".encode("utf-16-be")
    tree = struct.pack(">IHII", 0, 2, len(entries), 1)  # root: folder, children 1..
    tree += struct.pack(">IHII", folder_name, 2, 1, len(entries) + 1)
    for name_offset, flags, data_offset in nodes[1:]:
        tree += struct.pack(">IHHHI", name_offset, flags, 0, 0, data_offset)
    tree += struct.pack(">IHHHI", nodes[0][0], nodes[0][1], 0, 0, nodes[0][2])
    start = 20
    return (b"qres" + struct.pack(">IIII", 1, start, start + len(tree),
                                  start + len(tree) + len(data)) + tree + data + names)


def test_an_rcc_gives_every_file_with_its_path_decompressed():
    blob = _rcc([("sun.webp", 1, b"sun" * 50), ("README", 0, b"License: CC0")])
    assert list(read_rcc(blob)) == [("images/sun.webp", b"sun" * 50), ("README", b"License: CC0")]
    with pytest.raises(ValueError, match="not an rcc file"):
        list(read_rcc(b"nope"))


def test_slug_is_ascii_words():
    assert slug("Dürer, Lion (1521)!") == "durer-lion-1521"
    assert slug("??") == "x"
    assert len(slug("a" * 200)) == 80


def test_the_cli_lists_every_source_in_order():
    assert tuple(SOURCES) == SOURCE_NAMES
    assert list(chosen_sources(("wesnoth", "samples"))) == [
        "gcompris", "endless-sky", "opencv", "tuxpaint", "wallpapers"]
    with pytest.raises(ValueError, match="unknown picture source 'nowhere'; known: gcompris"):
        chosen_sources(("nowhere",))


@pytest.mark.parametrize("name", list(SOURCES))
def test_each_source_declares_the_packages_it_downloads(name, tmp_path, monkeypatch):
    asked = []

    def empty_package(ctx, package, want=None):
        asked.append(package)
        return types.SimpleNamespace(name=package, version="1", root=tmp_path / package,
                                     dep5=Dep5(), files=lambda pattern: [])

    monkeypatch.setattr(SourceContext, "package", empty_package)
    assert list(SOURCES[name].pictures(SourceContext(tmp_path))) == []
    assert tuple(asked) == SOURCES[name].packages
