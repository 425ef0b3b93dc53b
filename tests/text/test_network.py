import json

import pytest
import torch
from transformers import GPT2Config, GPT2LMHeadModel

from artforge.errors import UserError
from artforge.text.hf import export_hf, import_hf
from artforge.text.tokenizer import TextTokenizer
from tests.text.conftest import ENGLISH, tiny_gpt


@pytest.fixture
def model():
    gpt = tiny_gpt(TextTokenizer.train([ENGLISH], "char"))
    with torch.no_grad():  # larger weights than GPT-2's init, so differences would show
        for p in gpt.parameters():
            p.normal_(0, 0.3)
    return gpt


def test_kv_cache_gives_the_logits_of_a_full_pass(model):
    x = torch.tensor([model.tokenizer.encode("Shall I compare thee")])
    cache = model.net.new_cache(1)
    parts = [model.net(x[:, :7], cache), model.net(x[:, 7:8], cache), model.net(x[:, 8:], cache)]
    assert cache.length == x.shape[1]
    torch.testing.assert_close(torch.cat(parts, 1), model.net(x), atol=1e-5, rtol=1e-5)


def test_output_embedding_is_tied_to_the_input_one(model):
    assert model.net.lm_head.weight is model.net.transformer.wte.weight


def test_longer_than_the_block_is_refused(model):
    with pytest.raises(ValueError, match="block size 32"):
        model.net(torch.zeros(1, 33, dtype=torch.long))


def test_export_loads_in_transformers_with_the_same_logits(model, tmp_path):
    export_hf(model, tmp_path / "hf")
    hf = GPT2LMHeadModel.from_pretrained(tmp_path / "hf").eval()
    x = torch.tensor([model.tokenizer.encode("Rough winds do shake")])
    torch.testing.assert_close(hf(x).logits, model(x), atol=1e-5, rtol=1e-5)


def test_transformers_folder_imports_with_the_same_logits(model, tmp_path):
    torch.manual_seed(1)
    hf = GPT2LMHeadModel(GPT2Config(vocab_size=model.config.vocab_size, n_positions=32,
                                    n_embd=16, n_layer=2, n_head=2)).eval()
    hf.save_pretrained(tmp_path / "gpt2")  # what a user's downloaded folder looks like
    for name, data in model.tokenizer.files().items():
        (tmp_path / "gpt2" / name).write_bytes(data)
    ours = import_hf(tmp_path / "gpt2").eval()
    x = torch.tensor([[3, 1, 4, 1, 5, 9, 2, 6]])
    torch.testing.assert_close(ours(x), hf(x).logits, atol=1e-5, rtol=1e-5)


def test_import_refuses_other_architectures_and_missing_folders(model, tmp_path):
    export_hf(model, tmp_path / "hf")
    config = json.loads((tmp_path / "hf" / "config.json").read_text())
    (tmp_path / "hf" / "config.json").write_text(json.dumps(config | {"model_type": "llama"}))
    with pytest.raises(UserError, match="model_type is 'llama'"):
        import_hf(tmp_path / "hf")
    with pytest.raises(UserError, match="no config.json"):
        import_hf(tmp_path / "nowhere")
