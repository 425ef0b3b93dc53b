import numpy as np
import pytest
import torch

from artforge.data.abstract import abstract_image, abstract_images
from artforge.data.image_folders import load_image_set, square
from artforge.errors import UserError


def test_folder_scan_keeps_pictures_and_says_why_it_skipped_the_rest(picture_folder):
    images = load_image_set(str(picture_folder), 16)
    assert images.images.shape == (6, 3, 16, 16) and images.images.dtype == torch.uint8
    reasons = {path.rsplit("/", 1)[-1]: why for path, why in images.skipped}
    assert reasons == {"notes.txt": "not an image file (.txt)",
                       "broken.jpg": "damaged or not really an image (OSError)",
                       "tiny.png": "8x8 is smaller than 16 px"}


def test_second_load_comes_from_the_cache_with_the_same_pixels(picture_folder, artforge_home):
    first = load_image_set(str(picture_folder), 16)
    cached = list((artforge_home / "cache" / "images").glob("*.npz"))
    assert len(cached) == 1
    second = load_image_set(str(picture_folder), 16)
    assert torch.equal(first.images, second.images)
    assert sorted(second.skipped) == sorted(first.skipped)


@pytest.mark.parametrize("setup, message", [
    (lambda root: None, r"has no images \(jpg, png, webp or bmp\)"),
    (lambda root: (root / "one.png").write_bytes(_png(20)), "has only one usable image"),
    (lambda root: (root / "small.png").write_bytes(_png(4)), "has no usable image"),
])
def test_folders_a_gan_cannot_learn_from_are_one_clear_error(tmp_path, setup, message):
    root = tmp_path / "folder"
    root.mkdir()
    setup(root)
    with pytest.raises(UserError, match=message):
        load_image_set(str(root), 16)


def _png(side: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (side, side), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def test_missing_folder_and_unknown_builtin(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        load_image_set(str(tmp_path / "nowhere"), 16)
    with pytest.raises(UserError, match="builtin:abstract, builtin:paintings, builtin:digits"):
        load_image_set("builtin:cats", 16)


def test_square_crops_the_centre():
    from PIL import Image

    picture = Image.new("RGB", (30, 10), "white")
    picture.paste((255, 0, 0), (10, 0, 20, 10))
    assert (square(picture, 10)[:, 5, 5] == [255, 0, 0]).all()
    assert (square(picture, 10)[0] == 255).all()


def test_abstract_compositions_are_seeded_and_varied():
    first = abstract_images(6, 32, seed=1)
    assert first.shape == (6, 3, 32, 32) and first.dtype == np.uint8
    assert np.array_equal(first, abstract_images(6, 32, seed=1))
    assert not np.array_equal(first, abstract_images(6, 32, seed=2))
    families = [np.asarray(abstract_image(0, 32, 0, f)) for f in ("grid", "circles", "fields")]
    assert all(f.std() > 20 for f in families)


def test_builtin_sets_have_the_asked_shape():
    for name in ("abstract", "paintings", "digits"):
        images = load_image_set(f"builtin:{name}", 16, count=20)
        assert images.images.shape == (20, 3, 16, 16)


def test_dataset_scales_to_minus_one_one_and_flips_with_the_seeded_rng():
    images = torch.arange(2 * 3 * 2 * 2, dtype=torch.uint8).reshape(2, 3, 2, 2) * 10
    from artforge.data.image_folders import ImageDataset

    plain = ImageDataset(images, flip=False).__getitems__([0, 1])
    assert plain[0, 0, 0, 0] == -1.0 and torch.allclose(plain, images.float() / 127.5 - 1)
    torch.manual_seed(0)
    flipped = ImageDataset(images, flip=True).__getitems__([0, 1])
    torch.manual_seed(0)
    assert torch.equal(flipped, ImageDataset(images, flip=True).__getitems__([0, 1]))
    assert all(torch.equal(f, p) or torch.equal(f, p.flip(-1))
               for f, p in zip(flipped, plain, strict=True))
