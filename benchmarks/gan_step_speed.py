"""Claim: StyleGAN2's non-fused modulated convolution makes a stylegan training step on a CPU
cheaper than the fused form, and brings it nearer a dcgan step.

Four models at 128 px, 16 channels at full resolution (GANConfig otherwise at its defaults:
hinge loss, no R1, DiffAugment color + translation, style mixing 0.9), each taking
`GANModel.training_step` (one D step, one G step) on the same batch of 16 pictures with the
optimisers the Trainer would give it: dcgan, fastgan, stylegan, and stylegan with every
modulated convolution in StyleGAN2's fused form (`ModulatedConv.fused`: one grouped
convolution of per-sample kernels; the rest of that model, its discriminator included, is the
current one, so stylegan / stylegan-fused is the modulation's share alone). In alternating
rounds after a warm-up step each, so that load from other processes falls on all. Printed:
the median seconds per step of each and the ratios stylegan / stylegan-fused and each / dcgan.

Run: ARTFORGE_THREADS=1 .venv/bin/python benchmarks/gan_step_speed.py [--rounds 5] [--steps 2]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads yield on a busy CPU

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

from artforge.core.device import set_threads  # noqa: E402
from artforge.core.optimizers import Optimizers  # noqa: E402
from artforge.image.gan.model import GANConfig, GANModel  # noqa: E402
from artforge.image.gan.networks.stylegan import ModulatedConv  # noqa: E402
from artforge.image.gan.train import gan_class, gan_train_config  # noqa: E402

SIZE, CHANNELS, BATCH = 128, 16, 16
ARMS = ("dcgan", "fastgan", "stylegan", "stylegan-fused")


def build(arm: str) -> tuple[GANModel, Optimizers]:
    torch.manual_seed(0)
    model = gan_class(arm.removesuffix("-fused")).from_config(
        GANConfig(size=SIZE, channels=CHANNELS)).train()
    for module in model.modules():
        if isinstance(module, ModulatedConv):
            module.fused = arm.endswith("-fused")
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
    args = parser.parse_args()
    set_threads()
    real = torch.rand(BATCH, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(0)) * 2 - 1
    arms = {arm: build(arm) for arm in ARMS}
    for model, optimizers in arms.values():
        seconds_per_step(model, optimizers, real, 1)  # warm-up
    times: dict[str, list[float]] = {arm: [] for arm in ARMS}
    for _ in range(args.rounds):
        for arm, (model, optimizers) in arms.items():
            times[arm].append(seconds_per_step(model, optimizers, real, args.steps))
    medians = {arm: statistics.median(seconds) for arm, seconds in times.items()}
    print(f"gan_step_speed: {SIZE} px, channels {CHANNELS}, batch {BATCH}, "
          f"{torch.get_num_threads()} thread(s), torch {torch.__version__}; "
          f"{args.rounds} alternating rounds of {args.steps} steps per arm")
    for arm in ARMS:
        print(f"  {arm:15s} median {medians[arm]:.3f} s/step  "
              f"(rounds: {', '.join(f'{t:.2f}' for t in times[arm])})")
    print(f"  stylegan / stylegan-fused = {medians['stylegan'] / medians['stylegan-fused']:.3f}")
    for arm in ARMS[1:]:
        print(f"  {arm} / dcgan = {medians[arm] / medians['dcgan']:.2f}")


if __name__ == "__main__":
    main()
