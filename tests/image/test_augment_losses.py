import pytest
import torch

from artforge.core.adversarial import discriminator_loss, generator_loss, r1_penalty
from artforge.image.gan.diffaugment import color, cutout, diff_augment, translation


def test_p_zero_leaves_images_alone_and_p_one_changes_every_image():
    images = torch.rand(4, 3, 8, 8)
    assert torch.equal(diff_augment(images, ("color", "translation", "cutout"), 0.0), images)
    torch.manual_seed(0)
    changed = diff_augment(images, ("color", "translation", "cutout"), 1.0)
    assert changed.shape == images.shape
    assert all(not torch.equal(a, b) for a, b in zip(changed, images, strict=True))


def test_translation_shifts_whole_pixels_and_pads_with_zeros():
    images = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    torch.manual_seed(3)
    shifted = translation(images, 1.0, ratio=0.25)
    rows = [r for r in range(-1, 2) for c in range(-1, 2)
            if torch.equal(shifted, _shift(images, r, c))]
    assert rows, "the result is not a one-pixel shift of the input"


def _shift(images, dr, dc):
    padded = torch.nn.functional.pad(images, [1, 1, 1, 1])
    return padded[:, :, 1 + dr:5 + dr, 1 + dc:5 + dc]


def test_cutout_zeroes_a_quarter_sized_square_and_gradients_flow():
    images = torch.ones(2, 3, 8, 8, requires_grad=True)
    out = cutout(images, 1.0, ratio=0.5)
    zeroed = (out[:, 0] == 0).flatten(1).sum(1)
    assert all(0 < z <= 25 for z in zeroed.tolist())
    color(out, 1.0).sum().backward()
    assert images.grad is not None and images.grad.abs().sum() > 0


def test_losses_have_their_textbook_values():
    real, fake = torch.tensor([2.0, 0.5]), torch.tensor([-2.0, 0.0])
    assert discriminator_loss("hinge", real, fake).item() == pytest.approx(0.25 + 0.5)
    assert generator_loss("hinge", fake).item() == pytest.approx(1.0)
    softplus = torch.nn.functional.softplus
    expected = softplus(-real).mean() + softplus(fake).mean()
    assert discriminator_loss("minimax", real, fake).item() == pytest.approx(expected.item())
    assert generator_loss("minimax", fake).item() == pytest.approx(softplus(-fake).mean().item())


def test_r1_is_the_squared_gradient_norm_on_reals():
    x = torch.ones(3, 2, requires_grad=True)
    logits = (x * torch.tensor([3.0, 4.0])).sum(1)
    assert r1_penalty(logits, x).item() == pytest.approx(25.0)
