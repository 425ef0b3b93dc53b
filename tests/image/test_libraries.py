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


def test_a_reader_recovers_a_build_killed_while_moving_into_place(tmp_path, monkeypatch):
    """A fetch-libraries killed between its renames left the old photos aside and no new ones
    in: the next reader puts the old ones back before it looks."""
    from artforge.core import atomic

    _library("photos", 2)
    stage = tmp_path / "stage"
    (stage / "photos").mkdir(parents=True)
    Image.new("RGB", (70, 60), (1, 2, 3)).save(stage / "photos" / "new.jpg")
    real = atomic.os.rename

    def killed_before_the_new_photos(src, dst):
        if src == stage / "photos":
            raise SystemExit("killed")
        real(src, dst)

    with monkeypatch.context() as patched, pytest.raises(SystemExit):
        patched.setattr(atomic.os, "rename", killed_before_the_new_photos)
        patched.setattr(atomic, "_recover", lambda target: None)
        atomic.replace_entries(stage, libraries_dir(), ["photos"])
    assert not (libraries_dir() / "photos").exists()  # the old ones aside, the new not in
    folder = library_folder("builtin:photo-library")
    assert sorted(p.name for p in folder.iterdir()) == ["0.jpg", "1.jpg"]
    assert not (libraries_dir() / atomic.JOURNAL).exists()
