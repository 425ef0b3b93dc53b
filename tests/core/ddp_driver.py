"""Run under torchrun by test_ddp.py: trains a tiny field, each rank saves its final weights.

Mode "auto" lets the Trainer wrap the model in DDP; "manual" drives two optimizers itself, with
gradients averaged across ranks by artforge.core.optimizers.
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
    trainer = Trainer(model, config, out / "run", PixelDataset(rgb))
    result = trainer.fit()
    rank = int(os.environ["RANK"])
    save_file(model.state_dict(), str(out / f"rank{rank}.safetensors"))
    print(f"rank {rank} world {result.world_size} step {result.step}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
