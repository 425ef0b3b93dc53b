import json
import os

import pytest
import torch

from artforge.core import checkpoint
from artforge.core.atomic import atomic_folder
from artforge.core.registry import MODELS
from artforge.errors import UserError
from artforge.image.field.model import FieldModel


@pytest.mark.parametrize("kind", MODELS.names())
def test_save_load_gives_same_outputs_for_every_registered_model(kind, tmp_path):
    cls = MODELS.get(kind)
    torch.manual_seed(0)
    model = cls.from_config(cls.config_class()).eval()
    folder = model.save(tmp_path / kind, card="# test card\n")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["card.md", "config.json", "model.safetensors"]
    header = json.loads((folder / "config.json").read_text())
    assert header["kind"] == kind and header["artforge_version"]
    loaded = checkpoint.load(folder)
    assert type(loaded) is cls and loaded.config == model.config
    for name, tensor in model.state_dict().items():
        assert torch.equal(loaded.state_dict()[name], tensor), name


def test_field_outputs_survive_a_round_trip(tiny_field, tmp_path):
    coords = torch.tensor([[0.0, 0.0], [-0.5, 0.25]])
    before = tiny_field(coords)
    again = FieldModel.load(tiny_field.save(tmp_path / "m"))
    assert torch.equal(again(coords), before)
    assert before.shape == (2, 3)


def test_truncated_weights_give_a_user_error(tiny_field, tmp_path):
    folder = tiny_field.save(tmp_path / "m")
    weights = folder / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match="model.safetensors is damaged"):
        checkpoint.load(folder)


def test_damaged_or_missing_config_gives_a_user_error(tiny_field, tmp_path):
    folder = tiny_field.save(tmp_path / "m")
    (folder / "config.json").write_text("{not json")
    with pytest.raises(UserError, match="config.json is damaged"):
        checkpoint.load(folder)
    with pytest.raises(UserError, match="does not exist"):
        checkpoint.load(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="not a model folder"):
        checkpoint.load(tmp_path / "empty")


def test_unknown_kind_names_the_known_ones(tiny_field, tmp_path):
    folder = tiny_field.save(tmp_path / "m")
    header = json.loads((folder / "config.json").read_text())
    header["kind"] = "nonesuch"
    (folder / "config.json").write_text(json.dumps(header))
    with pytest.raises(UserError, match="unknown model 'nonesuch'; known: .*field"):
        checkpoint.load(folder)


def test_failed_save_leaves_the_old_folder_intact(tiny_field, tmp_path):
    folder = tiny_field.save(tmp_path / "m")
    before = (folder / "model.safetensors").read_bytes()
    with pytest.raises(RuntimeError), atomic_folder(folder) as tmp:
        (tmp / "model.safetensors").write_bytes(b"half")
        raise RuntimeError("disk full")
    assert (folder / "model.safetensors").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m"]


def test_swap_interrupted_between_renames_is_recovered(tiny_field, tmp_path):
    folder = tiny_field.save(tmp_path / "m")
    os.rename(folder, tmp_path / "m.old")  # the state a kill -9 between the renames leaves
    assert checkpoint.load(folder).config == tiny_field.config
    assert folder.is_dir() and not (tmp_path / "m.old").exists()


def test_run_folder_resolves_to_its_newest_checkpoint(tiny_field, tmp_path):
    for step in (4, 12, 8):
        tiny_field.save(checkpoint.checkpoint_dir(tmp_path, step))
    (tmp_path / "checkpoints" / ".step-00000016.abc.tmp").mkdir()
    assert checkpoint.resolve(tmp_path).name == "step-00000012"
    assert checkpoint.folder_hash(tmp_path) == checkpoint.folder_hash(
        checkpoint.checkpoint_dir(tmp_path, 12))
