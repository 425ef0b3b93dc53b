import pytest
from PIL import Image

from artforge.data.image_folders import load_image_set
from artforge.data.libraries import libraries_dir, library_folder
from artforge.errors import UserError
from artforge.image.pix2pix.pairs import load_pairs


def test_a_library_not_built_yet_names_the_command_that_builds_it():
    with pytest.raises(UserError, match=r"builtin:photo-library is not on this machine yet; "
                                        r"build it once .*`artforge data fetch-libraries`"):
        load_image_set("builtin:photo-library", 32)


def _library(kind: str, count: int) -> None:
    folder = libraries_dir() / kind
    folder.mkdir(parents=True)
    for i in range(count):
        Image.new("RGB", (80 + i, 64), (40 * i, 90, 200 - 30 * i)).save(folder / f"{i}.jpg")


def test_a_built_library_is_a_folder_for_every_loader():
    _library("photos", 3)
    _library("paintings", 2)
    assert library_folder("builtin:photo-library") == libraries_dir() / "photos"
    photos = load_image_set("builtin:photo-library", 32)
    assert tuple(photos.images.shape) == (3, 3, 32, 32)
    pairs = load_pairs("builtin:art-library", 32)
    assert len(pairs.names) == 2 and pairs.names == ["0.jpg", "1.jpg"]
