import pytest
import torch

from artforge.core.device import pick_device, set_threads
from artforge.core.seeding import rng_state, seed_everything, set_rng_state
from artforge.errors import UserError


def test_auto_picks_cpu_without_accelerators():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    if not torch.cuda.is_available() and torch.backends.mps.is_available():
        expected = "mps"
    assert pick_device("auto").type == expected


def test_bad_device_names_are_user_errors():
    with pytest.raises(UserError, match="unknown device"):
        pick_device("gpu-please")
    if not torch.cuda.is_available():
        with pytest.raises(UserError, match="no CUDA GPU"):
            pick_device("cuda")


def test_thread_count_is_set_once():
    first = set_threads()
    assert set_threads(first + 1) == first == torch.get_num_threads()


def test_rng_state_round_trip():
    seed_everything(3)
    state = rng_state()
    a = torch.rand(3)
    set_rng_state(state)
    assert torch.equal(torch.rand(3), a)
