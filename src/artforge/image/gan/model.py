"""The GAN model: a generator and a discriminator trained against each other by the Trainer.

Each architecture (artforge.image.gan.architectures) subclasses `GANModel` and builds its two
networks; the step below is shared. The Trainer keeps an EMA of the weights (ema_decay) and
saves it, so every saved checkpoint samples from the averaged generator.
"""

import copy
import dataclasses
from pathlib import Path
from typing import Any, ClassVar

import torch
from torch import nn

from artforge.core.adversarial import LOSSES, discriminator_loss, generator_loss, r1_penalty
from artforge.core.config import Config, require
from artforge.core.model import ArtModel
from artforge.core.optimizers import Optimizers
from artforge.image.gan.diffaugment import POLICIES, adapt_strength, diff_augment

GRID_SEED = 20240601
GRID_ROWS = 8
STATISTICS_SEED = 20240602


@dataclasses.dataclass
class GANConfig(Config):
    size: int = 64
    z_dim: int = 128
    channels: int = 8
    """Feature maps at the output resolution; they double per halving up to max_channels.
    Narrow by default: on a CPU, steps in the same minutes matter more than width for a few
    hundred pictures (benchmarks/gan_small_data.py); raise it on a GPU or for long runs."""
    max_channels: int = 256
    loss: str = "hinge"
    """"minimax" (the brief's objective, non-saturating G) or "hinge"."""
    r1_gamma: float = 0.0
    """Weight of the R1 penalty on real images (0: off); applied lazily every r1_every steps."""
    r1_every: int = 4
    augment: tuple[str, ...] = ("color", "translation")
    """DiffAugment transforms applied to everything D sees (color, translation, cutout).
    Cutout is off by default: in short runs it slows learning of the layout more than it
    holds back the discriminator."""
    augment_p: float = 1.0
    """Probability of each transform per image; the ADA heuristic moves it when ada_target>0."""
    ada_target: float = 0.0
    """Target of E[sign D(real)] for the adaptive strength (0.6 in the ADA paper; 0: fixed)."""
    mixing: float = 0.9
    """StyleGAN: probability of style mixing during training."""
    w_dim: int = 128
    mapping_layers: int = 4
    init_from: str | None = None
    """The model this one was fine-tuned from (--init-from: builtin:NAME or a folder's path);
    None: trained from nothing."""

    def validate(self) -> None:
        require([
            (16 <= self.size <= 512, "--size must be between 16 and 512 for a GAN"),
            (self.z_dim >= 1 and self.channels >= 1, "z_dim and channels must be positive"),
            (self.loss in LOSSES, f"--loss must be one of {', '.join(LOSSES)}"),
            (self.r1_gamma >= 0, "--r1 must be 0 or more"),
            (all(a in POLICIES for a in self.augment),
             f"--augment takes a comma list of {', '.join(POLICIES)}"),
            (0 <= self.augment_p <= 1, "augment_p must be in [0, 1]"),
            (0 <= self.ada_target < 1, "--ada-target must be in [0, 1)"),
        ])


class GANModel(ArtModel):
    config_class = GANConfig
    ema_decay: ClassVar[float | None] = 0.999
    manual_optimization = True
    betas: ClassVar[tuple[float, float]] = (0.5, 0.99)

    def __init__(self, config: GANConfig) -> None:
        super().__init__(config)
        self.generator, self.discriminator = self.build_networks(config)
        start_p = 0.0 if config.ada_target else config.augment_p
        self.register_buffer("augment_p", torch.tensor(start_p))
        self.register_buffer("steps_done", torch.tensor(0, dtype=torch.int64))
        self.grid_dir: Path | None = None
        """Where on_checkpoint writes the fixed-seed sample grids (set by the pipeline)."""

    # Hooks of each architecture ----------------------------------------------------------
    def build_networks(self, config: GANConfig) -> tuple[nn.Module, nn.Module]:
        raise NotImplementedError

    def generate_for_training(self, z: torch.Tensor) -> torch.Tensor:
        return self.generator(z)

    def discriminate_real(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """D's logits on real images and any extra D loss they carry (FastGAN's decoders)."""
        return self.discriminator(images), images.new_zeros(())

    @torch.no_grad()
    def generate(self, z: torch.Tensor, truncation: float = 1.0, **options: Any) -> torch.Tensor:
        """Images in [-1, 1] from latents; truncation < 1 pulls z towards its mean (0)."""
        return self.generator(z * truncation)

    # Training ----------------------------------------------------------------------------
    def configure_optimizer(self, lr: float, weight_decay: float, betas: tuple[float, float]
                            ) -> dict[str, torch.optim.Optimizer]:
        return {"d": torch.optim.Adam(self.discriminator.parameters(), lr=lr, betas=self.betas),
                "g": torch.optim.Adam(self.generator.parameters(), lr=lr, betas=self.betas)}

    def latents(self, n: int, device: torch.device) -> torch.Tensor:
        return torch.randn(n, self.config.z_dim, device=device)

    def augment(self, images: torch.Tensor) -> torch.Tensor:
        return diff_augment(images, self.config.augment, float(self.augment_p))

    def training_step(self, real: torch.Tensor, optimizers: Optimizers) -> dict[str, torch.Tensor]:
        """One D step, then one G step on the same fakes against the updated D: one generator
        forward per step, the generator being the costly network on a CPU."""
        cfg = self.config
        step = int(self.steps_done)
        fake = self.generate_for_training(self.latents(real.shape[0], real.device))
        losses = self._discriminator_step(real, fake.detach(), optimizers, step)
        self.discriminator.requires_grad_(False)
        g_loss = generator_loss(cfg.loss, self.discriminator(self.augment(fake)))
        optimizers.zero_grad("g")
        optimizers.backward(g_loss)
        optimizers.step("g")
        self.discriminator.requires_grad_(True)
        self.steps_done += 1
        return {"loss": losses["d_loss"] + g_loss.detach(), "g_loss": g_loss.detach(), **losses}

    def _discriminator_step(self, real: torch.Tensor, fake: torch.Tensor, optimizers: Optimizers,
                            step: int) -> dict[str, torch.Tensor]:
        cfg = self.config
        real_seen = self.augment(real).detach()
        use_r1 = cfg.r1_gamma > 0 and step % cfg.r1_every == 0
        real_seen.requires_grad_(use_r1)
        real_logits, extra = self.discriminate_real(real_seen)
        fake_logits = self.discriminator(self.augment(fake))
        d_loss = discriminator_loss(cfg.loss, real_logits, fake_logits)
        total = d_loss + extra
        r1 = real_logits.new_zeros(())
        if use_r1:
            r1 = r1_penalty(real_logits, real_seen, optimizers.scaler.get_scale())
            total = total + 0.5 * cfg.r1_gamma * cfg.r1_every * r1
        optimizers.zero_grad("d")
        optimizers.backward(total)
        optimizers.step("d")
        sign = float(real_logits.detach().sign().mean())
        if cfg.ada_target:
            self.augment_p.fill_(adapt_strength(float(self.augment_p), sign, cfg.ada_target,
                                                real.shape[0]))
        return {"d_loss": d_loss.detach(), "r1": r1.detach(), "real_sign": torch.tensor(sign),
                "augment_p": self.augment_p.detach().clone(), "d_extra": extra.detach()}

    @torch.no_grad()
    def refresh_batch_norm(self, samples: int = 256, batch: int = 64) -> None:
        """Recompute the generator's batch-norm statistics from its own outputs for fixed
        latents ("standing statistics", Brock et al. 2019). Samples come from averaged (EMA)
        weights, and the running statistics averaged along with them belong to none of the
        generators averaged: in eval mode they wash out or over-saturate the pictures. Seeded,
        so the same weights always give the same statistics and the same samples."""
        norms = [m for m in self.generator.modules()
                 if isinstance(m, nn.modules.batchnorm._BatchNorm)]
        if not norms:
            return
        device = next(self.generator.parameters()).device
        seeded = torch.Generator().manual_seed(STATISTICS_SEED)
        z = torch.randn(samples, self.config.z_dim, generator=seeded).to(device)
        momenta, was_training = [m.momentum for m in norms], self.generator.training
        for norm in norms:
            norm.reset_running_stats()
            norm.momentum = None  # a cumulative average over the batches below
        self.generator.train()
        for chunk in z.split(batch):
            self.generator(chunk)
        for norm, momentum in zip(norms, momenta, strict=True):
            norm.momentum = momentum
        self.generator.train(was_training)

    # Periodic sample grids -----------------------------------------------------------------
    def on_checkpoint(self, folder: Path, weights: dict[str, torch.Tensor]) -> None:
        if self.grid_dir is None:
            return
        from artforge.image.gan.sampling import save_grid_png

        averaged = copy.deepcopy(self).cpu()
        averaged.load_state_dict({k: v.cpu() for k, v in weights.items()})
        averaged.refresh_batch_norm()
        step = int(folder.name.removeprefix("step-"))
        save_grid_png(averaged.eval(), Path(self.grid_dir) / f"step-{step:08d}.png",
                      n=GRID_ROWS * GRID_ROWS, seed=GRID_SEED, provenance={"step": step})
