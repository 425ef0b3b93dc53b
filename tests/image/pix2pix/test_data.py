"""Pairs from A/B folders and from painting folders (line art drawn and cached), the
held-out split, and crops cut identically from line art and picture."""

import numpy as np
import pytest
import torch

from artforge.errors import UserError
from artforge.image.pix2pix import pairs as pairs_module
from artforge.image.pix2pix.crops import PairedCrops, fixed_crops
from artforge.image.pix2pix.pairs import PairedPictures, load_pairs, split_names
from artforge.image.sketch.methods import SketchConfig

XDOG = SketchConfig(method="xdog")


def test_a_b_folders_are_paired_by_name(paired_folder):
    pairs = load_pairs(str(paired_folder), 32)
    assert pairs.given and pairs.names == [f"B/x{i}.png" for i in range(4)]
    assert all(s.shape == p.shape[:2] == (64, 72) for s, p in zip(pairs.sketches,
                                                                 pairs.pictures, strict=True))


def test_unmatched_names_are_refused(paired_folder):
    (paired_folder / "B" / "x3.png").rename(paired_folder / "B" / "other.png")
    with pytest.raises(UserError, match=r"2 name\(s\) are in only one of them, e.g. other, x3"):
        load_pairs(str(paired_folder), 32)


def test_a_painting_folder_gets_line_art_drawn_once_and_cached(painting_folder, monkeypatch,
                                                               artforge_home):
    seen = []
    pairs = load_pairs(str(painting_folder), 32, XDOG, progress=lambda i, n, name:
                       seen.append((i, n, name)))
    assert not pairs.given and pairs.names == ["p0.png", "p1.png", "p2.png", "p3.png"]
    assert seen[0] == (0, 5, "p0.png") and len(seen) == 5
    reasons = dict(pairs.skipped)
    assert "not an image file" in reasons[str(painting_folder / "notes.txt")]
    assert "smaller than the 32-pixel crops" in reasons[str(painting_folder / "small.png")]
    assert set(np.unique(pairs.sketches[0])) == {0, 255}
    assert len(list((artforge_home / "cache" / "sketches").glob("*.png"))) == 4
    monkeypatch.setattr(pairs_module, "line_art", lambda *a: pytest.fail("not cached"))
    again = load_pairs(str(painting_folder), 32, XDOG)
    assert all(np.array_equal(a, b) for a, b in zip(pairs.sketches, again.sketches, strict=True))


def test_too_few_usable_pictures_and_unknown_builtins(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="has no images"):
        load_pairs(str(tmp_path / "empty"), 32)
    with pytest.raises(UserError, match="unknown built-in pair set"):
        load_pairs("builtin:abstract", 32)


def test_the_split_depends_on_names_not_order():
    names = [f"painting-{i}.jpg" for i in range(19)]
    train, held = split_names(names, 0.1)
    assert len(held) == 2 and sorted(train + held) == list(range(19))
    shuffled = names[::-1]
    _, held_again = split_names(shuffled, 0.1)
    assert sorted(shuffled[i] for i in held_again) == sorted(names[i] for i in held)
    assert split_names(["a", "b"], 0.9)[0] != []  # always something to train on
    assert split_names(names, 0.0)[1] == []


def _mirrored_pairs() -> PairedPictures:
    """Line art equal to the picture's red channel, so crops can be compared exactly."""
    rng = np.random.default_rng(0)
    pictures = [rng.integers(0, 256, (70, 90, 3), dtype=np.uint8) for _ in range(3)]
    return PairedPictures([p[..., 0].copy() for p in pictures], pictures,
                          ["a", "b", "c"], "test", [], given=True)


def test_random_crops_cut_flip_and_resize_both_images_alike():
    crops = PairedCrops(_mirrored_pairs(), 32, zoom=1.5)
    assert len(crops) == 150
    torch.manual_seed(0)
    sketches, pictures = crops.__getitems__(list(range(12)))
    assert sketches.shape == (12, 1, 32, 32) and pictures.shape == (12, 3, 32, 32)
    assert torch.equal(sketches[:, 0], pictures[:, 0])
    assert sketches.min() >= -1 and sketches.max() <= 1
    torch.manual_seed(0)
    assert torch.equal(crops.__getitems__(list(range(12)))[1], pictures)


def test_fixed_crops_are_the_same_every_time():
    first = fixed_crops(_mirrored_pairs(), 32, 5)
    assert first[0].shape == (5, 1, 32, 32)
    assert torch.equal(first[1], fixed_crops(_mirrored_pairs(), 32, 5)[1])
    assert torch.equal(first[0][:, 0], first[1][:, 0])
