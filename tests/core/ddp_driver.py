"""Run under torchrun by test_ddp.py: trains the tiny field, each rank saves its final weights."""

import os
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer
from artforge.toy.model import FieldModel, PixelDataset
from tests.conftest import TINY_FIELD


def main(out: Path) -> None:
    torch.manual_seed(0)
    model = FieldModel.from_config(TINY_FIELD)
    ramp = torch.linspace(0.1, 0.9, 8)
    rgb = torch.stack([ramp.expand(8, 8), ramp[:, None].expand(8, 8), torch.full((8, 8), 0.5)], -1)
    config = TrainConfig(steps=6, batch_size=8, lr=1e-2, save_every=3, log_every=1, device="cpu")
    trainer = Trainer(model, config, out / "run", PixelDataset(rgb))
    result = trainer.fit()
    rank = int(os.environ["RANK"])
    save_file(model.state_dict(), str(out / f"rank{rank}.safetensors"))
    print(f"rank {rank} world {result.world_size} step {result.step}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
