"""A field model that drives two optimizers itself, the way a GAN drives G and D."""

import torch
import torch.nn.functional as F

from artforge.core.optimizers import Optimizers
from artforge.image.field.model import FieldModel


class TwoOptimizerField(FieldModel):
    kind = "two-optimizer-field"
    manual_optimization = True

    def configure_optimizer(self, lr, weight_decay, betas):
        first = list(self.net.mlp[0].parameters())
        rest = [p for p in self.net.parameters() if all(p is not q for q in first)]
        return {"first": torch.optim.Adam(first, lr=lr), "rest": torch.optim.SGD(rest, lr=lr)}

    def training_step(self, batch, optimizers: Optimizers):
        coords, rgb = batch
        optimizers.zero_grad("first")
        first_loss = F.mse_loss(self.net(coords), rgb)
        optimizers.backward(first_loss)
        optimizers.step("first")
        optimizers.zero_grad("rest")
        rest_loss = F.mse_loss(self.net(coords), rgb)
        optimizers.backward(rest_loss)
        optimizers.step("rest")
        return {"loss": rest_loss.detach(), "first_loss": first_loss.detach()}
