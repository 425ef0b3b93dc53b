"""One thread for tiny models: on a busy shared machine they run several times faster so."""

import contextlib
import os
from collections.abc import Iterator

import torch


@contextlib.contextmanager
def single_thread() -> Iterator[None]:
    """torch on one thread; ARTFORGE_THREADS covers the Trainer's own thread setting, which
    happens once a process."""
    before, env = torch.get_num_threads(), os.environ.get("ARTFORGE_THREADS")
    torch.set_num_threads(1)
    os.environ["ARTFORGE_THREADS"] = "1"
    try:
        yield
    finally:
        torch.set_num_threads(before)
        if env is None:
            os.environ.pop("ARTFORGE_THREADS", None)
        else:
            os.environ["ARTFORGE_THREADS"] = env
