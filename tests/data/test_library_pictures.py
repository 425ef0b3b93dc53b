"""Picking the libraries' pictures: perceptual hashes, flattening, the held-out paintings,
near-duplicates, unique names, and SOURCES.md, on tiny pictures."""

import numpy as np
import pytest
from PIL import Image

from artforge.data.fetch_libraries.gcompris import is_held_out
from artforge.data.fetch_libraries.package import KINDS, Candidate
from artforge.data.fetch_libraries.pictures import (
    alpha_fraction,
    dhash,
    dhash16,
    flatness,
    flatten,
    hamming,
    near_dup,
    thumb,
)
from artforge.data.fetch_libraries.selection import (
    Entry,
    PictureSelection,
    matches_held_out,
    scaled_down,
)
from artforge.data.fetch_libraries.sources_md import sources_md

HELD_OUT = ["Katsushika Hokusa, Poppies - 1833-1834", "Pierre-Auguste Renoir, Girls At The Piano "
            "- 1892", "Bazille, The Ramparts at Aigues-Mortes - 1867", "Renoir, Jeunes filles au "
            "piano"]


def ramp(width: int = 64, height: int = 48, falling: bool = True) -> Image.Image:
    """Grey, brightest at the left when `falling`, at the right otherwise."""
    row = np.linspace(250, 5, width) if falling else np.linspace(5, 250, width)
    return Image.fromarray(np.tile(row, (height, 1)).astype(np.uint8)).convert("RGB")


def noise(size: tuple[int, int], seed: int) -> Image.Image:
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return Image.fromarray(pixels)


def test_dhash_bits_say_which_neighbour_is_brighter():
    assert dhash(ramp()) == 2**64 - 1
    assert dhash(ramp(falling=False)) == 0
    assert hamming(dhash(ramp()), dhash(ramp(falling=False))) == 64
    assert dhash16(ramp()) == 2**256 - 1


def test_near_duplicates_share_structure_and_colours():
    picture = noise((64, 64), 0)
    same = (dhash16(picture), thumb(picture))
    assert near_dup(same, (dhash16(picture.resize((80, 80))), thumb(picture.resize((80, 80)))))
    darker = picture.point(lambda v: v // 2)  # the same structure, other colours
    assert not near_dup(same, (dhash16(darker), thumb(darker)))
    assert not near_dup(same, (dhash16(noise((64, 64), 1)), thumb(noise((64, 64), 1))))


def test_flatten_puts_transparency_on_white_or_a_gradient():
    half = Image.new("RGBA", (4, 4), (255, 0, 0, 0))
    half.paste((255, 0, 0, 255), (0, 0, 2, 4))
    flat = flatten(half)
    assert flat.mode == "RGB" and flat.getpixel((0, 0)) == (255, 0, 0)
    assert flat.getpixel((3, 0)) == (255, 255, 255)
    clear = flatten(Image.new("RGBA", (8, 256), (0, 0, 0, 0)),
                    gradient=((0, 0, 100), (100, 0, 0)))
    assert clear.getpixel((0, 0)) == (0, 0, 100) and clear.getpixel((0, 255)) == (100, 0, 0)
    assert alpha_fraction(half) == 0.5 and alpha_fraction(ramp()) == 0.0


def test_flatness_tells_clip_art_from_photographs():
    assert flatness(Image.new("RGB", (40, 30), (10, 200, 30))) == (1.0, 1)
    flat, colours = flatness(noise((40, 30), 0))
    assert flat < 0.05 and colours > 1000


def test_pictures_are_scaled_to_1024_and_small_ones_left_out():
    assert scaled_down(Image.new("RGB", (2048, 1024))).size == (1024, 512)
    assert scaled_down(Image.new("RGB", (300, 256))).size == (300, 256)
    assert scaled_down(Image.new("RGB", (1000, 255))) is None


@pytest.mark.parametrize("title", HELD_OUT)
def test_the_held_out_paintings_are_known_by_title(title):
    assert is_held_out(title)


@pytest.mark.parametrize("title", ["Hokusai, The Great Wave", "Renoir, Moulin de la Galette",
                                   "Poplars on the Epte"])
def test_other_paintings_are_not_held_out(title):
    assert not is_held_out(title)


def test_a_copy_of_a_held_out_painting_is_known_by_its_hash():
    painting = noise((300, 300), 3)
    heldout = [("Poppies", dhash(painting))]
    assert matches_held_out(painting.resize((280, 290)), heldout)
    assert not matches_held_out(noise((300, 300), 4), heldout)


def _candidate(name: str, image, kind: str = "photos", **details) -> Candidate:
    return Candidate(kind, image, name, "pkg", "1.0", f"/usr/share/{name}.png", "CC0", **details)


def test_the_selection_writes_each_picture_once_under_a_unique_name(tmp_path):
    for kind in KINDS:
        (tmp_path / kind).mkdir()
    held = noise((300, 300), 9)
    (tmp_path / "broken.png").write_bytes(b"not a picture")
    selection = PictureSelection(tmp_path, [("Poppies", dhash(held))])
    for candidate in [_candidate("a", noise((400, 300), 1)),
                      _candidate("a", noise((300, 300), 2), "paintings", title="A | B"),
                      _candidate("a-copy", noise((400, 300), 1)),
                      _candidate("small", noise((300, 200), 3)),
                      _candidate("poppies", held),
                      _candidate("broken", tmp_path / "broken.png")]:
        selection.add(candidate)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.jpg")) == [
        "paintings/a-2.jpg", "photos/a.jpg"]
    assert selection.skipped == {"small": 1, "dup": 1, "heldout": 1, "error": 1}
    assert [(e.kind, e.file, e.size, e.title) for e in selection.entries] == [
        ("photos", "a.jpg", "400x300", ""), ("paintings", "a-2.jpg", "300x300", "A | B")]
    with Image.open(tmp_path / "photos/a.jpg") as written:
        assert written.format == "JPEG" and written.mode == "RGB"


def test_sources_md_lists_every_picture_by_kind():
    entries = [Entry("photos", "a.jpg", "400x300", "", "pkg", "1.0", "/a.png", "CC0", ""),
               Entry("paintings", "b.jpg", "300x300", "A | B", "art", "2:3", "/b.png",
                     "GPL-2+\n(x)", "already in artforge assets")]
    text = sources_md(entries, {"small": 4, "dup": 3, "heldout": 2, "error": 1},
                      ["Poppies", "Girls at the Piano"], {"pkg": "1.0", "art": "2:3"})
    assert text == (
        "# Training images from Debian packages\n\n"
        "Made by `artforge data fetch-libraries`. Counts: paintings 1, photos 1, abstract 0.\n\n"
        "Held out for evaluation and NOT included (dropped by title and by perceptual hash): "
        "Poppies; Girls at the Piano. Other images dropped as matching them: 2.\n\n"
        "Skipped: 4 under 256 px on the short side, 3 near-duplicates, 1 unreadable.\n\n"
        "Licences are those stated in each package (debian/copyright, or the README / metadata "
        "file next to the image); keep this file next to the images when they are shipped. The "
        "old-master paintings are public domain; the licence given is that of the scan.\n\n"
        "Packages: art 2:3, pkg 1.0\n\n"
        "## paintings (1)\n\n"
        "| file | size | title | package | version | path in package | licence | note |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| b.jpg | 300x300 | A \\| B | art | 2:3 | /b.png | GPL-2+ (x) | already in artforge "
        "assets |\n\n"
        "## photos (1)\n\n"
        "| file | size | title | package | version | path in package | licence | note |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| a.jpg | 400x300 |  | pkg | 1.0 | /a.png | CC0 |  |\n\n"
        "## abstract (0)\n\n"
        "| file | size | title | package | version | path in package | licence | note |\n"
        "|---|---|---|---|---|---|---|---|\n\n")
