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


def r1_penalty(real_logits: torch.Tensor, real_images: torch.Tensor, loss_scale: float = 1.0
               ) -> torch.Tensor:
    """E[|grad_x D(x)|^2] on real images (Mescheder et al. 2018); keeps D smooth on the data.

    Under float16 mixed precision pass the GradScaler's scale: the gradient is taken of the
    scaled mean logit, so that small gradients do not underflow in half precision (and the
    one at the logits, scale / count, does not overflow), then unscaled."""
    count = real_logits.numel()
    (grad,) = torch.autograd.grad(real_logits.float().mean() * loss_scale, real_images,
                                  create_graph=True)
    return (grad.float() * (count / loss_scale)).square().flatten(1).sum(1).mean()
