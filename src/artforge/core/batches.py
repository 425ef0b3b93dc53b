"""Seeded, shardable, resumable batches: epoch e always visits the same permutation."""

from collections.abc import Callable, Iterator
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, DistributedSampler

from artforge.errors import UserError


def to_device(batch: Any, device: torch.device) -> Any:
    """Move the tensors of a batch (nested in dicts, lists and tuples) to `device`."""
    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, dict):
        return {k: to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, list | tuple):
        return type(batch)(to_device(v, device) for v in batch)
    return batch


def _already_batched(batch: Any) -> Any:
    return batch


def collate_for(dataset: Dataset) -> Callable | None:
    """The DataLoader collate function for `dataset` (None: torch's default_collate)."""
    return _already_batched if hasattr(dataset, "__getitems__") else None


class Batches:
    """Batches of `dataset` for one rank, reproducible from (seed, epoch, position).

    `DistributedSampler` shuffles with `seed + epoch` and gives each rank its own shard; with
    one process it is simply a seeded shuffle. Resuming skips the batches already consumed in
    the current epoch without loading them. A dataset that can gather a whole batch in one
    call defines `__getitems__(indices)` returning the finished batch; otherwise items are
    fetched one by one and stacked by `default_collate`.
    """

    def __init__(self, dataset: Dataset, batch_size: int, seed: int, rank: int = 0,
                 world_size: int = 1, num_workers: int = 0) -> None:
        self.dataset, self.batch_size, self.num_workers = dataset, batch_size, num_workers
        self.seed, self.rank = seed, rank
        self.sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank,
                                          shuffle=True, seed=seed, drop_last=True)
        per_rank = len(self.sampler)
        if per_rank < batch_size:
            raise UserError(
                f"the training data has {len(dataset)} items, fewer than one batch of "
                f"{batch_size} per process; lower the batch size or add data."
            )
        self.batches_per_epoch = per_rank // batch_size
        self.epoch = 0
        self.position = 0  # batches consumed in the current epoch

    def state_dict(self) -> dict[str, int]:
        if self.position == self.batches_per_epoch:
            return {"epoch": self.epoch + 1, "position": 0}
        return {"epoch": self.epoch, "position": self.position}

    def load_state_dict(self, state: dict[str, int]) -> None:
        self.epoch, self.position = state["epoch"], state["position"]

    def __iter__(self) -> Iterator[Any]:
        while True:
            self.sampler.set_epoch(self.epoch)
            indices = list(self.sampler)
            plan = [indices[i * self.batch_size:(i + 1) * self.batch_size]
                    for i in range(self.position, self.batches_per_epoch)]
            loader = DataLoader(self.dataset, batch_sampler=plan, num_workers=self.num_workers,
                                collate_fn=collate_for(self.dataset),
                                generator=torch.Generator().manual_seed(self._worker_seed()))
            for batch in loader:
                self.position += 1
                yield batch
            self.epoch, self.position = self.epoch + 1, 0

    def _worker_seed(self) -> int:
        """Seeds the DataLoader's workers: differs by run seed, epoch and rank."""
        return (self.seed * 1_000_003 + self.epoch * 1009 + self.rank) % 2**63
