"""The `field` model: FourierFieldNet with its config, trainable with the core Trainer."""

import dataclasses

import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from artforge.core.config import Config
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.image.field.network import FourierFieldNet, grid


@dataclasses.dataclass
class FieldConfig(Config):
    hidden: int = 256
    layers: int = 3
    features: int = 128
    scale: float = 10.0
    seed: int = 0
    height: int = 128
    """Size of the picture the field was trained on (the default render size)."""
    width: int = 128


@MODELS.register("field")
class FieldModel(ArtModel):
    kind = "field"
    config_class = FieldConfig

    def __init__(self, config: FieldConfig) -> None:
        super().__init__(config)
        self.net = FourierFieldNet(config.hidden, config.layers, config.features,
                                   config.scale, config.seed)

    def forward(self, coords: torch.Tensor) -> torch.Tensor:
        return self.net(coords)

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor]) -> dict[str, torch.Tensor]:
        coords, rgb = batch
        mse = F.mse_loss(self.net(coords), rgb)
        return {"loss": mse}

    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor]) -> dict[str, float]:
        mse = float(F.mse_loss(self.net(batch[0]), batch[1]))
        return {"loss": mse, "psnr": -10.0 * torch.log10(torch.tensor(max(mse, 1e-10))).item()}

    @torch.no_grad()
    def render(self, height: int, width: int, chunk: int = 65536) -> torch.Tensor:
        """The painted picture at any size, as a (height, width, 3) tensor in [0, 1]."""
        device = next(self.parameters()).device
        coords = grid(height, width).to(device)
        parts = [self.net(coords[i:i + chunk]) for i in range(0, len(coords), chunk)]
        return torch.cat(parts).reshape(height, width, 3).cpu()


class PixelDataset(Dataset):
    """Every pixel of a picture as (coordinate, colour)."""

    def __init__(self, rgb: torch.Tensor) -> None:
        height, width, _ = rgb.shape
        self.coords = grid(height, width)
        self.colours = rgb.reshape(-1, 3).float()

    def __len__(self) -> int:
        return len(self.colours)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.coords[index], self.colours[index]

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """A whole batch in one gather (see artforge.core.batches)."""
        index = torch.as_tensor(indices)
        return self.coords[index], self.colours[index]
