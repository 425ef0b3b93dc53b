"""Claim: the shared Trainer adds little to a bare PyTorch loop.

Both train the same field model on the same picture for the same steps and batch size; the
Trainer also logs metrics, shows progress and writes one checkpoint at the end. Printed:
median seconds of each over alternating repeats and the ratio Trainer / bare loop.
"""

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from artforge.core.device import set_threads
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer
from artforge.data.images import load_rgb
from artforge.image.field.model import FieldConfig, FieldModel, PixelDataset

STEPS, BATCH, REPEATS = 150, 2048, 5


def dataset() -> PixelDataset:
    picture = load_rgb("builtin:paintings/hokusai-great-wave", max_side=96)
    return PixelDataset(torch.from_numpy(np.asarray(picture, dtype=np.float32) / 255.0))


def model(data: PixelDataset) -> FieldModel:
    torch.manual_seed(0)
    return FieldModel.from_config(FieldConfig(height=1, width=1))


def bare_loop(data: PixelDataset) -> float:
    net = model(data)
    optimizer = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=0.0)
    generator = torch.Generator().manual_seed(0)
    started = time.perf_counter()
    order = torch.randperm(len(data), generator=generator)
    for step in range(STEPS):
        start = (step * BATCH) % (len(order) - BATCH)
        index = order[start:start + BATCH]
        loss = F.mse_loss(net(data.coords[index]), data.colours[index])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimizer.step()
    return time.perf_counter() - started


def with_trainer(data: PixelDataset) -> float:
    net = model(data)
    config = TrainConfig(steps=STEPS, batch_size=BATCH, lr=2e-3, save_every=10**6, log_every=10,
                         device="cpu")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        Trainer(net, config, Path(tmp), data).fit()
        return time.perf_counter() - started


def main() -> None:
    set_threads()
    data = dataset()
    bare_loop(data), with_trainer(data)  # warm-up
    bare, trainer = [], []
    for _ in range(REPEATS):
        bare.append(bare_loop(data))
        trainer.append(with_trainer(data))
    b, t = statistics.median(bare), statistics.median(trainer)
    print(f"trainer overhead: {STEPS} steps, batch {BATCH}, {torch.get_num_threads()} threads, "
          f"{REPEATS} alternating repeats")
    print(f"  bare loop  median {b:.3f} s")
    print(f"  Trainer    median {t:.3f} s")
    print(f"  ratio Trainer / bare loop = {t / b:.3f}")


if __name__ == "__main__":
    main()
