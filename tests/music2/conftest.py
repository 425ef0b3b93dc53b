import os

import pytest
import torch


@pytest.fixture(autouse=True, scope="package")
def one_thread():
    """Tiny models run several times faster on one thread on a busy shared machine; the
    environment variable covers the Trainer's own setting."""
    before, env = torch.get_num_threads(), os.environ.get("ARTFORGE_THREADS")
    torch.set_num_threads(1)
    os.environ["ARTFORGE_THREADS"] = "1"
    yield
    torch.set_num_threads(before)
    if env is None:
        os.environ.pop("ARTFORGE_THREADS", None)
    else:
        os.environ["ARTFORGE_THREADS"] = env
