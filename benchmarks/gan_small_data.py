"""Claim: on a small art set, this project's GAN recipe beats a plain DCGAN at equal wall clock.

Data: 500 images of builtin:abstract at 64 px. Baseline: the classic DCGAN (Radford et al.
2016), written out here: transposed convolutions with batch norm and ReLU up to a tanh, strided
convolutions with leaky ReLU (0.2) and batch norm (none on the first) down to one logit,
N(0, 0.02) initialisation, 32 feature maps at 64 px doubling to 256, the brief's minimax loss
with the non-saturating generator, Adam 2e-4 (0.5, 0.999), the recipe's batch size, no
augmentation, no EMA, sampled in train mode like the PyTorch DCGAN example. Ablation: the
same plain loop on the recipe's networks, learning rate and Adam betas, which shows what the
recipe's network size alone buys and what its training adds. Candidate: `artforge image gan train
--data builtin:abstract --size 64` with every recipe option at its default (see
artforge.image.gan.model.GANConfig and train.gan_train_config), through the shared Trainer.
Each method gets the same training minutes, in alternating rounds so that load from other
processes on the machine falls on all. Printed: FID-VGG16 and KID of 500 samples against the
500 training images, their ratios baseline / candidate, and training images/s.

Run: .venv/bin/python benchmarks/gan_small_data.py [--minutes 5] [--rounds 2]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads yield on a busy CPU

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from artforge.core.device import set_threads  # noqa: E402
from artforge.data.image_folders import load_image_set  # noqa: E402
from artforge.image.gan import metrics  # noqa: E402
from artforge.image.gan.architectures import DCGANModel  # noqa: E402
from artforge.image.gan.model import GANConfig  # noqa: E402
from artforge.image.gan.pipeline import load_gan  # noqa: E402
from artforge.image.gan.sampling import generate, seeded_latents  # noqa: E402
from artforge.image.gan.train import gan_train_config, train_gan  # noqa: E402

SIZE, COUNT, SAMPLES = 64, 500, 500
RECIPE = GANConfig(size=SIZE)
TRAIN = gan_train_config()
BATCH = TRAIN.batch_size


def classic_generator(z_dim: int, widths: tuple[int, ...]) -> nn.Sequential:
    """z -> 4x4 -> ... -> 64x64 RGB; `widths` from 4x4 up (256, 128, 64, 32)."""
    layers: list[nn.Module] = [nn.Unflatten(1, (z_dim, 1, 1)),
                               nn.ConvTranspose2d(z_dim, widths[0], 4, 1, 0, bias=False),
                               nn.BatchNorm2d(widths[0]), nn.ReLU(True)]
    for cin, cout in zip(widths, widths[1:], strict=False):
        layers += [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout),
                   nn.ReLU(True)]
    return nn.Sequential(*layers, nn.ConvTranspose2d(widths[-1], 3, 4, 2, 1, bias=False),
                         nn.Tanh())


def classic_discriminator(widths: tuple[int, ...]) -> nn.Sequential:
    """64x64 RGB -> one logit; `widths` from 32x32 down (32, 64, 128, 256)."""
    layers: list[nn.Module] = [nn.Conv2d(3, widths[0], 4, 2, 1, bias=False),
                               nn.LeakyReLU(0.2, True)]
    for cin, cout in zip(widths, widths[1:], strict=False):
        layers += [nn.Conv2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout),
                   nn.LeakyReLU(0.2, True)]
    return nn.Sequential(*layers, nn.Conv2d(widths[-1], 1, 4, 1, 0, bias=False), nn.Flatten(0))


def radford_init(module: nn.Module) -> nn.Module:
    for layer in module.modules():
        if isinstance(layer, nn.Conv2d | nn.ConvTranspose2d):
            nn.init.normal_(layer.weight, 0.0, 0.02)
        elif isinstance(layer, nn.BatchNorm2d):
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)
    return module


class PlainLoop:
    """Alternate one D step and one G step on the same fakes; nothing else."""

    def __init__(self, data: torch.Tensor, g: nn.Module, d: nn.Module, z_dim: int,
                 lr_g: float, lr_d: float, betas: tuple[float, float]) -> None:
        self.g, self.d, self.z_dim = g, d, z_dim
        self.opt_g = torch.optim.Adam(g.parameters(), lr=lr_g, betas=betas)
        self.opt_d = torch.optim.Adam(d.parameters(), lr=lr_d, betas=betas)
        self.data, self.steps = data, 0

    def step(self) -> None:
        index = torch.randint(0, len(self.data), (BATCH,))
        real = self.data[index].float() / 127.5 - 1
        fake = self.g(torch.randn(BATCH, self.z_dim))
        d_loss = F.softplus(-self.d(real)).mean() + F.softplus(self.d(fake.detach())).mean()
        self.opt_d.zero_grad()
        d_loss.backward()
        self.opt_d.step()
        g_loss = F.softplus(-self.d(fake)).mean()
        self.opt_g.zero_grad()
        g_loss.backward()
        self.opt_g.step()
        self.steps += 1

    def train_for(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.step()

    @torch.no_grad()
    def samples(self, seed: int) -> torch.Tensor:
        z = torch.randn(SAMPLES, self.z_dim, generator=torch.Generator().manual_seed(seed))
        return torch.cat([(self.g(z[i:i + 100]).clamp(-1, 1) + 1) / 2
                          for i in range(0, SAMPLES, 100)])


def plain_methods(real: torch.Tensor) -> dict[str, PlainLoop]:
    torch.manual_seed(0)
    classic = PlainLoop(real, radford_init(classic_generator(128, (256, 128, 64, 32))),
                        radford_init(classic_discriminator((32, 64, 128, 256))), 128,
                        2e-4, 2e-4, (0.5, 0.999))
    torch.manual_seed(0)
    networks = DCGANModel(RECIPE)
    small = PlainLoop(real, networks.generator, networks.discriminator, RECIPE.z_dim, TRAIN.lr,
                      TRAIN.lr, DCGANModel.betas)
    return {"plain": classic, "small": small}


def train_recipe(run: Path, minutes: float, resume: bool) -> int:
    train = TRAIN.replace(steps=10**7, minutes=minutes, save_every=10**7, device="cpu", seed=0)
    return train_gan("builtin:abstract", run, train, "dcgan", RECIPE, count=COUNT,
                     resume=resume, catalog=False).step


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=5.0, help="training minutes per method")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    threads = set_threads()
    real = load_image_set("builtin:abstract", SIZE, count=COUNT).images
    plains = plain_methods(real)
    run = Path(tempfile.mkdtemp(prefix="gan-bench-")) / "recipe"
    share = args.minutes / args.rounds
    spent = dict.fromkeys(LABELS, 0.0)
    steps = dict.fromkeys(LABELS, 0)
    for round_ in range(args.rounds):
        for name, plain in plains.items():
            started = time.monotonic()
            plain.train_for(share * 60)
            spent[name] += time.monotonic() - started
            steps[name] = plain.steps
        started = time.monotonic()
        steps["recipe"] = train_recipe(run, share, resume=round_ > 0)
        spent["recipe"] += time.monotonic() - started
    model, _ = load_gan(run)
    samples = {name: plain.samples(1) for name, plain in plains.items()}
    samples["recipe"] = generate(model, seeded_latents(model, SAMPLES, 1), 1)
    real_features = metrics.vgg_features(real)
    scores = {name: metrics.distances(metrics.vgg_features(s), real_features)
              for name, s in samples.items()}
    print(f"gan small data: {COUNT} builtin:abstract images at {SIZE} px, batch {BATCH}, "
          f"{args.minutes:g} training minutes per method in {args.rounds} alternating rounds, "
          f"{threads} threads, {SAMPLES} samples vs {COUNT} real, VGG16 relu5_3 features; "
          f"recipe run in {run}")
    for name, label in LABELS.items():
        s = scores[name]
        print(f"  {label} steps {steps[name]:5d}  images/s {steps[name] * BATCH / spent[name]:6.1f}"
              f"  FID-VGG16 {s['fid_vgg16']:.4f}  KID {s['kid']:.5f}")
    for name in ("plain", "small"):
        fid_ratio = scores[name]["fid_vgg16"] / scores["recipe"]["fid_vgg16"]
        kid_ratio = scores[name]["kid"] / max(scores["recipe"]["kid"], 1e-12)
        print(f"  ratio {name} / recipe: FID-VGG16 {fid_ratio:.2f}  KID {kid_ratio:.2f}")


LABELS = {"plain": "plain DCGAN (classic)        ", "small": "plain loop, recipe's networks",
          "recipe": "artforge recipe              "}


if __name__ == "__main__":
    main()
