"""Optimisation-based transfer on tiny pictures: loss, progress, mask, blends, colours,
options, provenance and reproduction."""

import numpy as np
import pytest
import torch
from PIL import Image

from artforge.catalog.provenance import read_png_provenance
from artforge.catalog.records import list_works
from artforge.catalog.reproduce import reproduce
from artforge.data.pictures import open_picture, to_array
from artforge.errors import UserError
from artforge.style import colour
from artforge.style.gatys import GatysTransfer, _Stage, box_penalty
from artforge.style.options import PRESETS, TransferOptions
from artforge.style.pipeline import _options, parse_styles, transfer_image
from artforge.style.works import to_tensor

TINY = {"size": 40, "iterations": (3,), "optimizer": "adam", "lr": 0.05, "show_progress": False}


def pixels(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255.0


def test_scales_run_coarse_to_fine_and_never_below_64_px():
    assert TransferOptions(iterations=(5, 5, 5)).scale_sides(512) == [128, 256, 512]
    assert TransferOptions(iterations=(5, 5, 5)).scale_sides(100) == [64, 64, 100]
    assert TransferOptions(iterations=(5,)).scale_sides(40) == [40]


def test_the_loss_goes_down_and_every_iteration_is_reported(pictures):
    seen, snaps = [], []
    engine = GatysTransfer(TransferOptions(iterations=(2, 4)), torch.device("cpu"))
    content = to_tensor(open_picture(pictures["content"]))
    style = to_tensor(open_picture(pictures["style"]))
    result = engine.run(content, [(style, 1.0)], progress=lambda *a: seen.append(a),
                        snapshot=(3, lambda step, image: snaps.append((step, image.shape))))
    assert result.shape == content.shape and 0 <= float(result.min()) <= float(result.max()) <= 1
    assert [(step, total) for step, total, _ in seen] == [(i, 6) for i in range(1, 7)]
    assert seen[-1][2] < 0.95 * seen[0][2]
    assert snaps == [(3, (1, 3, 32, 40)), (6, (1, 3, 32, 40))]


def test_the_box_penalty_keeps_the_picture_showable(pictures):
    assert float(box_penalty(torch.tensor([0.0, 0.5, 1.0]))) == 0.0
    # (0.5^2 + 0 + 0) / 3 above, (0 + 0 + 0.25^2) / 3 below
    assert float(box_penalty(torch.tensor([1.5, 0.2, -0.25]))) == pytest.approx(0.3125 / 3)
    engine = GatysTransfer(TransferOptions(iterations=(20,)), torch.device("cpu"))
    content = to_tensor(open_picture(pictures["content"]))
    style = to_tensor(open_picture(pictures["style"]))
    stage = _Stage(engine, content, engine._style_target([(style, 1.0)], 40), None, None)
    start = content * 1.6 - 0.3  # a fifth of the pixels outside the range
    picture = stage.optimise(start, 20, lambda *args: None)
    assert float(box_penalty(start)) > 4e-3
    assert float(box_penalty(picture)) < 1e-4  # without the penalty: 3e-3


def test_outside_the_mask_the_photo_is_untouched(pictures, tmp_path):
    mask = tmp_path / "mask.png"
    left = np.zeros((32, 40), np.uint8)
    left[:, :20] = 255
    Image.fromarray(left).save(mask)
    out = transfer_image(pictures["content"], pictures["style"], tmp_path / "m.png", mask=mask,
                         catalog=False, **TINY)
    made, photo = pixels(out), pixels(pictures["content"])
    assert np.array_equal(made[:, 21:], photo[:, 21:])
    assert np.abs(made[:, :19] - photo[:, :19]).mean() > 0.02


def test_a_blend_weight_of_zero_is_the_single_style_and_seeds_repeat(pictures, tmp_path):
    content, style = pictures["content"], pictures["style"]
    noise = {**TINY, "init": "noise", "catalog": False}
    one = transfer_image(content, style, tmp_path / "one.png", seed=1, **noise)
    blend = transfer_image(content, {str(style): 1.0, "builtin:durer-lion": 0.0},
                           tmp_path / "blend.png", seed=1, **noise)
    other = transfer_image(content, style, tmp_path / "other.png", seed=2, **noise)
    assert np.array_equal(pixels(one), pixels(blend))
    assert not np.array_equal(pixels(one), pixels(other))
    assert parse_styles(["a", "b"], [3, 1]) == [("a", 0.75), ("b", 0.25)]


def test_luminance_mode_keeps_the_photo_colours(pictures, tmp_path):
    out = transfer_image(pictures["content"], pictures["style"], tmp_path / "l.png",
                         preserve_colour="luminance", catalog=False, **TINY)
    made, photo = colour.rgb_to_yiq(pixels(out)), colour.rgb_to_yiq(pixels(pictures["content"]))
    assert np.abs(made[..., 1:] - photo[..., 1:]).mean() < 0.01
    assert np.abs(made[..., 0] - photo[..., 0]).mean() > 0.01
    recoloured = transfer_image(pictures["content"], pictures["style"], tmp_path / "h.png",
                                preserve_colour="histogram", catalog=False, **TINY)
    assert Image.open(recoloured).size == (40, 32)


def test_the_work_carries_provenance_and_is_reproduced_exactly(pictures, tmp_path):
    out = transfer_image(pictures["content"], [pictures["style"]], tmp_path / "w.png",
                         style_weight=5.0, seed=3, **TINY)
    provenance = read_png_provenance(out)
    assert provenance["pipeline"] == "style.transfer" and provenance["seed"] == 3
    assert provenance["params"]["options"]["style_weight"] == 5.0
    work = list_works(medium="style")[0]
    again = reproduce(work["id"], tmp_path / "again.png")
    assert again["identical"], "the same options and seed must give the same picture"


def test_a_preset_names_the_iterations_and_the_default_is_full():
    assert TransferOptions().iterations == PRESETS["full"] == (150,)
    assert _options({"preset": "quick"}).iterations == (80, 30, 8)
    assert _options({"preset": "full", "size": 256}).to_dict() == TransferOptions(
        size=256).to_dict()
    assert _options({"preset": None, "iterations": [5, 2]}).iterations == (5, 2)


@pytest.mark.parametrize("options, message", [
    ({"iterations": ()}, "--iterations takes 1 to 6 counts"),
    ({"preset": "slow"}, "there is no --preset 'slow'; choose one of full, quick."),
    ({"preset": "full"}, "give --preset or --iterations, not both."),
    ({"size": 8}, "--size must be between 32 and 4096"),
    ({"style_layer_weights": (1.0,)}, "give one weight per style layer"),
    ({"brush": 3}, "unknown style transfer option"),
    ({"style_weights": [1, 2, 3]}, "2 style pictures but 3 blend weights"),
])
def test_bad_options_are_user_errors(pictures, tmp_path, options, message):
    with pytest.raises(UserError, match=message):
        transfer_image(pictures["content"], [pictures["style"], pictures["style"]],
                       tmp_path / "x.png", **{**TINY, **options})
    assert not (tmp_path / "x.png").exists()


def test_a_non_png_output_and_an_unreadable_content_are_refused(pictures, tmp_path):
    with pytest.raises(UserError, match="--out must end in .png"):
        transfer_image(pictures["content"], pictures["style"], tmp_path / "x.jpg", **TINY)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n but then nothing")
    with pytest.raises(UserError, match="broken.png is not a readable image"):
        transfer_image(broken, pictures["style"], tmp_path / "x.png", **TINY)
    assert not (tmp_path / "x.png").exists()
    assert to_array(open_picture(pictures["content"])).shape == (32, 40, 3)
