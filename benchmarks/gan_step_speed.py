"""Claim: each GAN's networks, computed in their rearranged forms (the same functions), make
a training step on a CPU cheaper than computed as written: StyleGAN2's non-fused modulated
convolution against the fused one, FastGAN's up blocks as one transposed convolution against
upsampling then convolving.

Five models at 128 px, 16 channels at full resolution (GANConfig otherwise at its defaults:
hinge loss, no R1, DiffAugment color + translation, style mixing 0.9; --r1 and --augment set
the shipped DCGAN recipe's: --r1 0.2 --augment color,translation,cutout), each taking
`GANModel.training_step` (one D step, one G step) on the same batch of 16 pictures with the
optimisers the Trainer would give it: dcgan, fastgan, fastgan-plain, stylegan, and
stylegan-fused. fastgan-plain is fastgan with every `UpBlock.plain` (nearest upsampling, then
the 3x3 convolution, in the layout the maps come in) and its leaky ReLUs not in place: FastGAN
as written before the rearrangement. stylegan-fused has every modulated
convolution in StyleGAN2's fused form (`ModulatedConv.fused`: one grouped convolution of
per-sample kernels; the rest of that model, its discriminator included, is the current one,
so stylegan / stylegan-fused is the modulation's share alone). In alternating rounds after a
warm-up step each, so that load from other processes falls on all. Printed: the median
seconds per step of each, the ratio of each rearranged arm to its plain one, and each / dcgan.

Run: ARTFORGE_THREADS=1 .venv/bin/python benchmarks/gan_step_speed.py [--rounds 5] [--steps 2]
         [--arms dcgan,fastgan,fastgan-plain] [--r1 0.2] [--augment color,translation,cutout]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads yield on a busy CPU

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402

from artforge.core.device import set_threads  # noqa: E402
from artforge.core.optimizers import Optimizers  # noqa: E402
from artforge.image.gan.model import GANConfig, GANModel  # noqa: E402
from artforge.image.gan.networks.fastgan import UpBlock  # noqa: E402
from artforge.image.gan.networks.stylegan import ModulatedConv  # noqa: E402
from artforge.image.gan.train import gan_class, gan_train_config  # noqa: E402

SIZE, CHANNELS, BATCH = 128, 16, 16
ARMS = ("dcgan", "fastgan", "fastgan-plain", "stylegan", "stylegan-fused")
AS_WRITTEN = {"fastgan": "fastgan-plain", "stylegan": "stylegan-fused"}
"""Each rearranged arm and the same model computed as written."""


def build(arm: str, config: GANConfig) -> tuple[GANModel, Optimizers]:
    torch.manual_seed(0)
    model = gan_class(arm.removesuffix("-fused").removesuffix("-plain")).from_config(config).train()
    for module in model.modules():
        if isinstance(module, ModulatedConv):
            module.fused = arm.endswith("-fused")
        if isinstance(module, UpBlock):
            module.plain = arm.endswith("-plain")
        if isinstance(module, nn.LeakyReLU) and arm.endswith("-plain"):
            module.inplace = False
    train = gan_train_config(batch_size=BATCH)
    optimizers = Optimizers(model.configure_optimizer(train.lr, train.weight_decay, train.betas),
                            train, torch.amp.GradScaler("cpu", enabled=False),
                            sync_gradients=False)
    return model, optimizers


def seconds_per_step(model: GANModel, optimizers: Optimizers, real: torch.Tensor,
                     steps: int) -> float:
    started = time.perf_counter()
    for _ in range(steps):
        model.training_step(real, optimizers)
    return (time.perf_counter() - started) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=2, help="steps per arm per round")
    parser.add_argument("--arms", default=",".join(ARMS), help="comma list of arms to time")
    parser.add_argument("--r1", type=float, default=0.0, help="GANConfig.r1_gamma")
    parser.add_argument("--augment", default="color,translation", help="GANConfig.augment")
    args = parser.parse_args()
    unknown = set(args.arms.split(",")) - set(ARMS)
    if unknown:
        parser.error(f"unknown arms {', '.join(sorted(unknown))}; known: {', '.join(ARMS)}")
    chosen = [arm for arm in ARMS if arm in args.arms.split(",")]
    config = GANConfig(size=SIZE, channels=CHANNELS, r1_gamma=args.r1,
                       augment=tuple(filter(None, args.augment.split(","))))
    set_threads()
    real = torch.rand(BATCH, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(0)) * 2 - 1
    arms = {arm: build(arm, config) for arm in chosen}
    for model, optimizers in arms.values():
        seconds_per_step(model, optimizers, real, 1)  # warm-up
    times: dict[str, list[float]] = {arm: [] for arm in chosen}
    for _ in range(args.rounds):
        for arm, (model, optimizers) in arms.items():
            times[arm].append(seconds_per_step(model, optimizers, real, args.steps))
    medians = {arm: statistics.median(seconds) for arm, seconds in times.items()}
    print(f"gan_step_speed: {SIZE} px, channels {CHANNELS}, batch {BATCH}, r1 {args.r1}, "
          f"augment {','.join(config.augment) or 'none'}, {torch.get_num_threads()} thread(s), "
          f"torch {torch.__version__}; {args.rounds} alternating rounds of {args.steps} steps "
          f"per arm")
    for arm in chosen:
        print(f"  {arm:15s} median {medians[arm]:.3f} s/step  "
              f"(rounds: {', '.join(f'{t:.2f}' for t in times[arm])})")
    for arm, written in AS_WRITTEN.items():
        if arm in medians and written in medians:
            print(f"  {arm} / {written} = {medians[arm] / medians[written]:.3f}")
    for arm in chosen[1:] if "dcgan" in medians else []:
        print(f"  {arm} / dcgan = {medians[arm] / medians['dcgan']:.2f}")


if __name__ == "__main__":
    main()
