import torch
from torch.utils.data import Dataset

from artforge.core.batches import Batches
from artforge.image.field.model import PixelDataset


class ItemByItem(Dataset):
    """The same pixels without __getitems__, fetched one by one and stacked by default_collate."""

    def __init__(self, pixels: PixelDataset) -> None:
        self.pixels = pixels

    def __len__(self) -> int:
        return len(self.pixels)

    def __getitem__(self, index: int):
        return self.pixels[index]


def take(batches: Batches, count: int) -> list:
    iterator = iter(batches)
    return [next(iterator) for _ in range(count)]


def test_batched_and_item_by_item_fetching_agree(pixels):
    fast = take(Batches(pixels, 16, seed=3), 6)
    slow = take(Batches(ItemByItem(pixels), 16, seed=3), 6)
    for (c1, r1), (c2, r2) in zip(fast, slow, strict=True):
        assert torch.equal(c1, c2) and torch.equal(r1, r2)
    assert fast[0][0].shape == (16, 2) and fast[0][1].shape == (16, 3)


def test_epochs_are_permutations_and_resume_skips_consumed_batches(pixels):
    batches = Batches(pixels, 16, seed=0)
    first_epoch = take(batches, 4)
    seen = torch.cat([c for c, _ in first_epoch])
    assert len({tuple(row.tolist()) for row in seen}) == 64  # every pixel once
    after_six = take(Batches(pixels, 16, seed=0), 6)[4:]
    resumed = Batches(pixels, 16, seed=0)
    resumed.load_state_dict({"epoch": 1, "position": 0})
    for (a, _), (b, _) in zip(after_six, take(resumed, 2), strict=True):
        assert torch.equal(a, b)


def test_ranks_get_disjoint_shards(pixels):
    rank0 = torch.cat([c for c, _ in take(Batches(pixels, 8, 0, rank=0, world_size=2), 4)])
    rank1 = torch.cat([c for c, _ in take(Batches(pixels, 8, 0, rank=1, world_size=2), 4)])
    together = {tuple(r.tolist()) for r in torch.cat([rank0, rank1])}
    assert len(together) == 64


def test_worker_processes_give_the_same_batches(pixels):
    in_process = take(Batches(pixels, 16, seed=5), 5)
    with_workers = take(Batches(pixels, 16, seed=5, num_workers=1), 5)
    for (a, _), (b, _) in zip(in_process, with_workers, strict=True):
        assert torch.equal(a, b)
