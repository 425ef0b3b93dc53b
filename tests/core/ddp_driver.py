"""Run under torchrun by test_ddp.py: trains a tiny field, each rank saves its final weights.

Mode "auto" lets the Trainer wrap the model in DDP; "manual" drives two optimizers itself, with
gradients averaged across ranks by artforge.core.optimizers; "patience" validates (on rank 0
only) on a flat grey, which the field strays from as it learns the picture at a high rate,
with --patience and keep_best: every rank must stop at the same step and save together.
"""

import os
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer
from artforge.image.field.model import FieldModel, PixelDataset
from tests.conftest import TINY_FIELD
from tests.core.manual_model import TwoOptimizerField


def main(out: Path, mode: str) -> None:
    torch.manual_seed(0)
    cls = TwoOptimizerField if mode == "manual" else FieldModel
    model = cls.from_config(TINY_FIELD)
    ramp = torch.linspace(0.1, 0.9, 8)
    rgb = torch.stack([ramp.expand(8, 8), ramp[:, None].expand(8, 8), torch.full((8, 8), 0.5)], -1)
    config = TrainConfig(steps=6, batch_size=8, lr=1e-2, save_every=3, log_every=1, device="cpu")
    val_data = None
    if mode == "patience":
        config = TrainConfig(steps=40, batch_size=8, lr=5e-2, save_every=100, log_every=1,
                             device="cpu", eval_every=1, patience=2, keep_best=True)
        val_data = PixelDataset(torch.full_like(rgb, 0.5))
    trainer = Trainer(model, config, out / "run", PixelDataset(rgb), val_data)
    result = trainer.fit()
    rank = int(os.environ["RANK"])
    save_file(model.state_dict(), str(out / f"rank{rank}.safetensors"))
    # One write of the whole line: with PYTHONUNBUFFERED set, print writes the text and its
    # newline apart, and the two ranks' lines on the shared pipe can run together.
    os.write(1, f"rank {rank} world {result.world_size} step {result.step} "
                f"by {result.stopped_by}\n".encode())


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
