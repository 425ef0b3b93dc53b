"""Every test gets its own ARTFORGE_HOME, so nothing touches the user's catalog."""

import pytest
import torch

from artforge.core.train_config import TrainConfig
from artforge.image.field.model import FieldConfig, FieldModel, PixelDataset


@pytest.fixture(autouse=True)
def artforge_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("artforge-home")
    monkeypatch.setenv("ARTFORGE_HOME", str(home))
    return home


TINY_FIELD = FieldConfig(hidden=8, layers=1, features=4, scale=2.0, height=8, width=8)


@pytest.fixture
def tiny_field() -> FieldModel:
    torch.manual_seed(0)
    return FieldModel.from_config(TINY_FIELD)


@pytest.fixture
def pixels() -> PixelDataset:
    """An 8x8 picture of smooth colour ramps: red grows to the right, green downwards."""
    ramp = torch.linspace(0.1, 0.9, 8)
    rgb = torch.stack([ramp.expand(8, 8), ramp[:, None].expand(8, 8), torch.full((8, 8), 0.5)], -1)
    return PixelDataset(rgb)


@pytest.fixture
def train_config() -> TrainConfig:
    return TrainConfig(steps=12, batch_size=16, lr=1e-2, save_every=4, log_every=2,
                       device="cpu", seed=0)
