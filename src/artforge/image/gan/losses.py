"""Adversarial losses by name, and the R1 gradient penalty.

"minimax" is the brief's objective min_G max_D E[log D(x)] + E[log(1 - D(G(z)))], with the
generator using the non-saturating form (maximise log D(G(z))) that Goodfellow et al.
recommend, since log(1 - D(G(z))) has no gradient early in training. "hinge" is the
SAGAN / BigGAN / FastGAN loss.
"""

import torch
import torch.nn.functional as F

LOSSES = ("minimax", "hinge")


def discriminator_loss(kind: str, real_logits: torch.Tensor, fake_logits: torch.Tensor
                       ) -> torch.Tensor:
    if kind == "hinge":
        return F.relu(1.0 - real_logits).mean() + F.relu(1.0 + fake_logits).mean()
    # -log D(x) - log(1 - D(G(z))), with D = sigmoid(logits)
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def generator_loss(kind: str, fake_logits: torch.Tensor) -> torch.Tensor:
    if kind == "hinge":
        return -fake_logits.mean()
    return F.softplus(-fake_logits).mean()  # non-saturating: -log D(G(z))


def r1_penalty(real_logits: torch.Tensor, real_images: torch.Tensor) -> torch.Tensor:
    """E[|grad_x D(x)|^2] on real images (Mescheder et al. 2018); keeps D smooth on the data."""
    (grad,) = torch.autograd.grad(real_logits.sum(), real_images, create_graph=True)
    return grad.square().flatten(1).sum(1).mean()
