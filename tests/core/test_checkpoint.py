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


def test_tied_weights_are_stored_once_and_come_back_tied(tmp_path):
    from safetensors.torch import load, save

    from artforge.text.model import GPTConfig, GPTModel
    from artforge.text.tokenizer import TextTokenizer

    torch.manual_seed(0)
    tokenizer = TextTokenizer.train(["the tide, the wind"], "char")
    model = GPTModel(GPTConfig(vocab_size=tokenizer.vocab_size, block_size=8, n_layer=1,
                               n_head=2, n_embd=16), tokenizer)
    folder = checkpoint.save(model, tmp_path / "gpt")
    data = (folder / checkpoint.WEIGHTS_FILE).read_bytes()
    assert "net.lm_head.weight" not in load(data)  # stored once, under the embedding's name
    again = checkpoint.load(folder)
    assert again.net.lm_head.weight is again.net.transformer.wte.weight
    ids = torch.tensor([[1, 2, 3]])
    assert torch.equal(again(ids), model.eval()(ids))
    # A folder written before ties were recorded (the weight stored twice) still loads.
    both = {k: v.clone() for k, v in model.state_dict().items()}
    (folder / checkpoint.WEIGHTS_FILE).write_bytes(save(both))
    assert torch.equal(checkpoint.load(folder)(ids), model(ids))
    half = load(checkpoint.weights_bytes(model.state_dict(), torch.float16))
    assert half["net.transformer.wte.weight"].dtype == torch.float16 and len(half) == len(both) - 1
