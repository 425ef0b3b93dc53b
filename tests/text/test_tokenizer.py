import pytest
from transformers import AutoTokenizer

from artforge.errors import UserError
from artforge.text.tokenizer import EOS, TextTokenizer, control_token
from tests.text.conftest import ENGLISH, VERSE

SAMPLES = [VERSE[:40], ENGLISH[:60], "<|poems|>" + ENGLISH[:20] + "\n\n" + VERSE[:12]]


def build(kind: str) -> TextTokenizer:
    return TextTokenizer.train([VERSE, ENGLISH], kind, vocab_size=320,
                               special_tokens=[control_token("poems")])


@pytest.mark.parametrize("kind", ["char", "bpe"])
@pytest.mark.parametrize("text", SAMPLES, ids=["tang", "english", "control"])
def test_encode_decode_encode_round_trip(kind, text):
    tok = build(kind)
    ids = tok.encode(text)
    assert tok.decode(ids, skip_special_tokens=False) == text
    assert tok.encode(tok.decode(ids, skip_special_tokens=False)) == ids
    assert tok.decode(ids) == text.replace("<|poems|>", "")


@pytest.mark.parametrize("kind", ["char", "bpe"])
def test_encoding_many_texts_gives_the_ids_encode_gives(kind):
    tok = build(kind)
    # Unknown characters, a special token's spelling inside a text, an empty text.
    texts = [*SAMPLES, "snow ☃ and <|endoftext|> again", "", "\r\n\t😀"]
    assert tok.encode_texts(texts) == [tok.encode(text) for text in texts]
    assert tok.token_id(EOS) in tok.encode_texts(texts)[3]  # matched whole, as one token


@pytest.mark.parametrize("kind", ["char", "bpe"])
def test_saved_folder_loads_in_transformers_with_the_same_ids(kind, tmp_path):
    tok = build(kind)
    for name, data in tok.files().items():
        (tmp_path / name).write_bytes(data)
    hf = AutoTokenizer.from_pretrained(str(tmp_path))
    for text in SAMPLES:
        assert hf(text, add_special_tokens=False)["input_ids"] == tok.encode(text)
    assert hf.eos_token == EOS
    again = TextTokenizer.load(tmp_path)
    assert again.kind == kind and again.encode(SAMPLES[2]) == tok.encode(SAMPLES[2])


def test_char_vocabulary_is_specials_then_sorted_characters():
    tok = TextTokenizer.train(["ba\n", "ca"], "char")
    assert tok.token_strings() == ["", "", "\n", "a", "b", "c"]
    assert tok.eos_id == 0 and tok.vocab_size == 6


def test_control_code_is_one_token():
    tok = build("bpe")
    assert len(tok.encode("<|poems|>")) == 1


def test_unseen_characters_are_an_error_when_strict():
    tok = build("char")
    with pytest.raises(UserError, match="never saw.*'Z'"):
        tok.encode("Zeal", strict=True)
    assert tok.encode("Zeal")[0] == tok.token_id("<|unk|>")


def test_bpe_vocab_size_too_small_is_a_user_error():
    with pytest.raises(UserError, match="--vocab-size"):
        TextTokenizer.train([ENGLISH], "bpe", vocab_size=100)
