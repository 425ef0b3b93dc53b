"""Fine-tuning a text model on a user's folder: new characters join the vocabulary (known ids
and what the model says of known text unchanged), a text mostly in characters the model lacks
is refused, and the originality report still knows the first training text."""

import torch
from click.testing import CliRunner

from artforge.cli import app
from artforge.core import checkpoint
from artforge.text.model import GPTModel
from artforge.text.tokenizer import TextTokenizer
from artforge.text.train import MAX_UNKNOWN_SHARE
from tests.text.conftest import ENGLISH, tiny_gpt


def _saved_english(tmp_path):
    model = tiny_gpt(TextTokenizer.train([ENGLISH], "char"), block_size=16)
    model.corpus_text = ENGLISH
    return model, checkpoint.save(model, tmp_path / "english")


def _tune(source, data, out, *extra):
    return CliRunner().invoke(app, ["text", "train", "--init-from", str(source), "--data",
                                    str(data), "--out", str(out), "--steps", "1",
                                    "--batch-size", "2", "--device", "cpu", *extra])


def test_new_characters_join_the_vocabulary_and_known_ones_keep_their_ids(tmp_path):
    model, source = _saved_english(tmp_path)
    mine = tmp_path / "mine.txt"
    mine.write_text("Zephyr, thou art more lovely; ĉu ne? " * 8)
    result = _tune(source, mine, tmp_path / "tuned")
    assert result.exit_code == 0, result.output
    assert "added 2 character(s)" in result.output and "'Zĉ'" in result.output
    tuned = GPTModel.load(tmp_path / "tuned")
    old_vocab = model.tokenizer.tokenizer.get_vocab()
    new_vocab = tuned.tokenizer.tokenizer.get_vocab()
    assert {k: new_vocab[k] for k in old_vocab} == old_vocab
    assert [new_vocab[c] for c in "Zĉ"] == [len(old_vocab), len(old_vocab) + 1]
    assert tuned.config.vocab_size == len(old_vocab) + 2
    assert tuned.tokenizer.decode(tuned.tokenizer.encode("Zĉ", strict=True)) == "Zĉ"
    # Both training texts are what originality is measured against.
    assert tuned.corpus_text.startswith(ENGLISH) and "Zephyr" in tuned.corpus_text


def test_a_grown_model_says_the_same_of_known_characters_before_training(tmp_path):
    model, _ = _saved_english(tmp_path)
    ids = torch.tensor([model.tokenizer.encode("Thou art more")])
    before = model(ids)
    grown = tiny_gpt(model.tokenizer, block_size=16)
    grown.load_state_dict(model.state_dict())
    grown.grow_vocabulary(model.tokenizer.with_characters(["Z", "ĉ"]))
    after = grown(ids)
    assert after.shape[-1] == before.shape[-1] + 2
    assert torch.allclose(after[..., :-2], before, atol=1e-6)
    rows = grown.net.transformer.wte.weight
    assert torch.allclose(rows[-1], model.net.transformer.wte.weight.mean(0))
    assert grown.net.lm_head.weight is rows


def test_a_text_mostly_in_unknown_characters_is_refused_and_nothing_written(tmp_path):
    _, source = _saved_english(tmp_path)
    mine = tmp_path / "tang.txt"
    mine.write_text("床前明月光，疑是地上霜。\n" * 10)
    assert MAX_UNKNOWN_SHARE == 0.5
    result = _tune(source, mine, tmp_path / "tuned")
    assert result.exit_code == 2
    assert "knows too few of your text's characters (120 of 130 are new to it" in result.output
    assert not (tmp_path / "tuned").exists()


def test_init_from_a_model_of_another_medium_is_one_sentence(tmp_path):
    from artforge.music.model import LSTMMusicModel, MusicConfig

    lstm = LSTMMusicModel.from_config(MusicConfig(vocab_size=20, embed=4, hidden=8, layers=1,
                                                  context=16))
    folder = checkpoint.save(lstm, tmp_path / "tune")
    mine = tmp_path / "mine.txt"
    mine.write_text(ENGLISH * 4)
    result = _tune(folder, mine, tmp_path / "tuned")
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and "lstm" in result.output
    assert not (tmp_path / "tuned").exists()


def test_an_unknown_shipped_name_is_one_sentence(tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text(ENGLISH * 4)
    result = _tune("builtin:klingon", mine, tmp_path / "tuned")
    assert result.exit_code == 2
    assert "there is no built-in text model builtin:klingon" in result.output
    assert not (tmp_path / "tuned").exists()


def test_fine_tuning_takes_its_own_recipe_unless_an_option_is_given(tmp_path):
    from artforge.core.train_config import FINE_TUNING

    _, source = _saved_english(tmp_path)
    mine = tmp_path / "mine.txt"
    mine.write_text(ENGLISH * 4)
    assert _tune(source, mine, tmp_path / "a").exit_code == 0
    saved = checkpoint.read_training_state(checkpoint.latest_checkpoint(tmp_path / "a"))
    recipe = saved["train_config"]
    assert {key: recipe[key] for key in FINE_TUNING} == FINE_TUNING
    assert _tune(source, mine, tmp_path / "b", "--lr", "0.01").exit_code == 0
    saved = checkpoint.read_training_state(checkpoint.latest_checkpoint(tmp_path / "b"))
    assert saved["train_config"]["lr"] == 0.01 and saved["train_config"]["keep_best"]


def test_eval_every_overrides_the_recipe_and_zero_drops_keeping_the_best(tmp_path):
    _, source = _saved_english(tmp_path)
    mine = tmp_path / "mine.txt"
    mine.write_text(ENGLISH * 4)
    found = {}
    for every in ("0", "7"):
        assert _tune(source, mine, tmp_path / every, "--eval-every", every).exit_code == 0
        saved = checkpoint.read_training_state(checkpoint.latest_checkpoint(tmp_path / every))
        recipe = saved["train_config"]
        found[every] = (recipe["eval_every"], recipe["keep_best"], recipe["patience"])
    assert found == {"0": (0, False, 0), "7": (7, True, 12)}
