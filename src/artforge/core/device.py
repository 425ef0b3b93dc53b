"""Device choice (`auto` → CUDA, then MPS, then CPU) and a thread count set once per process."""

import os

import torch

from artforge.errors import UserError

_threads_set = False


def pick_device(name: str = "auto") -> torch.device:
    """Return the device for `name`: auto, cpu, cuda, cuda:N or mps."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise UserError(f"unknown device {name!r}; use auto, cpu, cuda, cuda:N or mps.") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise UserError(f"device {name!r} was asked for but this machine has no CUDA GPU.")
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise UserError(f"device {name!r} was asked for but MPS is not available here.")
    return device


def default_threads() -> int:
    """Cores this process may use, or ARTFORGE_THREADS when set."""
    if "ARTFORGE_THREADS" in os.environ:
        return max(1, int(os.environ["ARTFORGE_THREADS"]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def set_threads(count: int | None = None) -> int:
    """Set torch's intra-op thread count once; later calls keep the first choice."""
    global _threads_set
    if not _threads_set:
        torch.set_num_threads(count or default_threads())
        _threads_set = True
    return torch.get_num_threads()
