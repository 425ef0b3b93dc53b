import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from artforge.core import checkpoint

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", ["auto", "manual"])
def test_two_gloo_processes_end_with_the_same_weights(mode, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
               str(ROOT / "tests/core/ddp_driver.py"), str(tmp_path), mode]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "rank 0 world 2 step 6" in done.stdout and "rank 1 world 2 step 6" in done.stdout
    rank0 = load_file(tmp_path / "rank0.safetensors")
    rank1 = load_file(tmp_path / "rank1.safetensors")
    saved = checkpoint.read_weights(checkpoint.latest_checkpoint(tmp_path / "run"))
    for name, tensor in rank0.items():
        assert torch.equal(rank1[name], tensor), name
        assert torch.equal(saved[name], tensor), name
    # Both ranks trained on different shards, so the weights moved from the seeded start.
    torch.manual_seed(0)
    from artforge.image.field.model import FieldModel
    from tests.conftest import TINY_FIELD

    start = FieldModel.from_config(TINY_FIELD).state_dict()
    assert not torch.equal(start["net.mlp.0.weight"], rank0["net.mlp.0.weight"])
    state = checkpoint.read_training_state(checkpoint.latest_checkpoint(tmp_path / "run"))
    assert len(state["rng"]) == 2


def test_patience_and_keep_best_stop_every_rank_together(tmp_path):
    """Only rank 0 validates; its patience stop and its best-weights save must be every rank's."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
               str(ROOT / "tests/core/ddp_driver.py"), str(tmp_path), "patience"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = sorted(line for line in done.stdout.splitlines() if line.startswith("rank "))
    assert len(lines) == 2 and lines[0].endswith("by patience"), lines
    assert lines[0].split(" step ")[1] == lines[1].split(" step ")[1]
    final = checkpoint.latest_checkpoint(tmp_path / "run")
    assert int(final.name.split("-")[1]) < 40
    assert "best_step" in (final / "card.md").read_text()


def test_demo_under_torchrun_writes_once(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
               "-m", "artforge", "demo", "--out", str(tmp_path / "demo"), "--steps", "20",
               "--media", "none", "--size", "16", "--device", "cpu"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("Your works are in") == 1
    from artforge.catalog import records

    assert len(records.list_works()) == 1 and len(records.list_runs()) == 1
    run = tmp_path / "demo/field-hokusai-great-wave"
    assert checkpoint.latest_checkpoint(run).name == "step-00000020"
