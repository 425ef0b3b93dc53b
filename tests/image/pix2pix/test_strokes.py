"""Canvas-stroke augmentation: line art varied as a hand draws it, seeded, and a model trained
with it resumes bit for bit."""

import torch

from artforge.core import checkpoint
from artforge.image.pix2pix.architectures import Pix2PixConfig
from artforge.image.pix2pix.strokes import vary_strokes
from artforge.image.pix2pix.train import pix2pix_train_config, train_pix2pix
from tests.image.pix2pix.conftest import TINY_PIX2PIX, trains_and_resumes_bit_for_bit


def _line_art(batch: int = 64) -> torch.Tensor:
    """White paper with one black 1-pixel horizontal line per crop (row 20) on 48x48."""
    sketch = torch.ones(batch, 1, 48, 48)
    sketch[:, :, 20, 4:44] = -1
    return sketch


def test_strokes_stay_line_art_near_the_lines_and_are_seeded():
    sketch = _line_art()
    varied = vary_strokes(sketch, torch.Generator().manual_seed(0))
    assert varied.shape == sketch.shape
    assert varied.min() >= -1 and varied.max() <= 1
    assert torch.equal(varied, vary_strokes(sketch, torch.Generator().manual_seed(0)))
    # Paper farther than the widest dilation (2 px) from the line stays white.
    assert torch.equal(varied[:, :, :18], torch.ones_like(varied[:, :, :18]))
    assert torch.equal(varied[:, :, 23:], torch.ones_like(varied[:, :, 23:]))
    ink = (1 - varied) / 2
    # Every crop keeps some of its line at 55-100 % pressure, or lost it to an erased region.
    strongest = ink[:, 0, 20].amax(dim=-1)
    assert ((strongest >= 0.55 - 1e-6) | (strongest == 0)).all()
    # Across 64 crops all the variations occur: wider lines, fainter ones, broken ones.
    width = (ink[:, 0, :, 24] > 0).sum(-1)
    assert {1, 3, 5} <= set(width.tolist())
    assert (strongest < 0.9).any() and (strongest > 0.9).any()
    kept = (ink[:, 0, 20, 4:44] > 0).float().mean(-1)
    assert ((kept > 0) & (kept < 1)).any()


def test_a_model_with_canvas_strokes_trains_and_resumes_bit_for_bit(paired_folder, tmp_path):
    straight = trains_and_resumes_bit_for_bit(paired_folder, tmp_path,
                                              TINY_PIX2PIX.replace(strokes=True))
    plain = tmp_path / "plain"
    train = pix2pix_train_config(steps=2, batch_size=2, device="cpu", seed=0)
    train_pix2pix(str(paired_folder), plain, train, "pix2pix", TINY_PIX2PIX, catalog=False)
    other = checkpoint.read_weights(checkpoint.resolve(plain))
    assert any(not torch.equal(straight[k], other[k]) for k in straight)
    assert checkpoint.load(checkpoint.resolve(tmp_path / "run")).config.strokes


def test_strokes_are_off_unless_asked_and_for_folders_saved_before_them():
    assert not Pix2PixConfig().strokes
    saved = Pix2PixConfig(strokes=True).to_dict()
    del saved["strokes"]
    assert not Pix2PixConfig.from_dict(saved).strokes
