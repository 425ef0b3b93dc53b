"""Validation metrics of a model over a dataset, for the Trainer and the `eval` commands."""

import torch
from torch.utils.data import DataLoader, Dataset

from artforge.core.batches import collate_for, to_device
from artforge.core.model import ArtModel


@torch.no_grad()
def evaluate(model: ArtModel, dataset: Dataset, batch_size: int,
             device: torch.device) -> dict[str, float]:
    """Means of `model.validation_step` over `dataset`, each batch weighted by its size.

    The global RNG is left as it was, so validating during training does not change what
    training does next (resume stays bit-for-bit).
    """
    devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        was_training = model.training
        model.eval()
        loader = DataLoader(dataset, batch_size=batch_size, shuffle=False,
                            collate_fn=collate_for(dataset), generator=torch.Generator())
        totals: dict[str, float] = {}
        for start, batch in zip(range(0, len(dataset), batch_size), loader, strict=True):
            size = min(batch_size, len(dataset) - start)
            for name, value in model.validation_step(to_device(batch, device)).items():
                totals[name] = totals.get(name, 0.0) + float(value) * size
        model.train(was_training)
    return {name: total / len(dataset) for name, total in totals.items()}
