"""torchrun support: process group set-up, rank queries and the collectives the Trainer needs."""

import io
import itertools
import os
from typing import Any

import torch
import torch.distributed as dist

_finishes = itertools.count()
"""Numbers each finish_together in this process, so that its store keys are new each time."""


def world_size() -> int:
    """Processes in the run; torchrun's WORLD_SIZE before the group is joined or after it."""
    if dist.is_initialized():
        return dist.get_world_size()
    return int(os.environ.get("WORLD_SIZE", "1"))


def rank() -> int:
    """This process's rank; torchrun's RANK before the group is joined or after it is left."""
    return dist.get_rank() if dist.is_initialized() else int(os.environ.get("RANK", "0"))


def is_main() -> bool:
    return rank() == 0


def launched_by_torchrun() -> bool:
    return world_size() > 1


def init_from_env(device: torch.device) -> tuple[torch.device, bool]:
    """Join the process group torchrun describes (gloo on CPU, nccl on CUDA).

    Returns the device this rank should use and whether this call created the group (and so
    must destroy it).
    """
    if not launched_by_torchrun() or dist.is_initialized():
        return device, False
    if device.type == "cuda":
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        device = torch.device("cuda", local)
    dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return device, True


def max_over_ranks(values: list[float], device: torch.device) -> list[float]:
    """Each value's largest over the ranks, on every rank (e.g. the share of a time budget
    spent, so that every rank schedules its learning rate alike)."""
    if not dist.is_initialized():
        return list(values)
    tensor = torch.tensor(values, dtype=torch.float64 if device.type != "mps" else
                          torch.float32, device=device)
    dist.all_reduce(tensor, op=dist.ReduceOp.MAX)
    return tensor.tolist()


def barrier() -> None:
    if dist.is_initialized():
        dist.barrier()


def finish_together() -> None:
    """Return once every rank is through with every collective, so that the group can be left.

    A barrier alone does not promise that: it returns on a rank once the others' messages have
    reached it, while its own message may still be on its way to a rank that waits in the
    barrier; that rank then sees gloo's sockets closed under it when the first one destroys
    the group. So after the barrier each rank also signs off at the rendezvous store, which is
    reached outside the group's sockets (torchrun's agent holds it), and waits there for all.
    """
    if not dist.is_initialized():
        return
    dist.barrier()
    store = dist.distributed_c10d._get_default_store()  # torch offers no public way to it
    prefix = f"artforge/finished/{next(_finishes)}"
    store.set(f"{prefix}/{rank()}", "1")
    store.wait([f"{prefix}/{other}" for other in range(world_size())])


def gather_states(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Every rank's `state` (RNG states for resume), in rank order, on every rank.

    Sent as torch.save bytes: all_gather_object cannot unpickle tensors of RNG states.
    """
    if not dist.is_initialized():
        return [state]
    buffer = io.BytesIO()
    torch.save(state, buffer)
    gathered: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(gathered, buffer.getvalue())
    return [torch.load(io.BytesIO(data), weights_only=True) for data in gathered]
