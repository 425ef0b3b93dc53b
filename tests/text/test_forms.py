import re

import pytest

from artforge.errors import UserError
from artforge.text.forms import FormConfig, chinese_pattern
from artforge.text.generate import GenerationConfig
from artforge.text.meter import syllables, word_syllables
from artforge.text.pipeline import generate_text
from artforge.text.rhyme import rhyme_class
from artforge.text.tokenizer import TextTokenizer
from tests.text.conftest import ENGLISH, tiny_gpt
from tests.threads import single_thread

HAN = r"[\u3400-\u9fff]"
SHAPES = {"jueju5": (4, 5), "jueju7": (4, 7), "lushi5": (8, 5), "lushi7": (8, 7)}


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with single_thread():
        yield


def form_regex(lines: int, chars: int) -> re.Pattern:
    couplet = rf"{HAN}{{{chars}}}，{HAN}{{{chars}}}。"
    return re.compile("^" + r"\n".join([couplet] * (lines // 2)) + "$")


@pytest.mark.parametrize("form", SHAPES)
@pytest.mark.parametrize("candidates", [1, 2])  # one pass; couplets chosen among two
def test_chinese_forms_hold_in_every_sample_of_an_untrained_model(verse_model, form,
                                                                  candidates):
    config = GenerationConfig(num_return_sequences=16, seed=3, top_k=0, top_p=1.0)
    result = generate_text(verse_model, "", config, FormConfig(form, candidates=candidates))
    pattern = form_regex(*SHAPES[form])
    assert len(result.texts) == 16
    assert all(pattern.match(text) for text in result.texts), result.texts


@pytest.mark.parametrize("candidates", [1, 2])
def test_rhyme_puts_one_rhyme_class_on_every_even_line(verse_model, candidates):
    config = GenerationConfig(num_return_sequences=8, seed=0, top_k=0, top_p=1.0)
    result = generate_text(verse_model, "", config,
                           FormConfig("lushi5", rhyme=True, candidates=candidates))
    for text in result.texts:
        ends = [line[-2] for line in text.split("\n")]
        assert len({rhyme_class(ch) for ch in ends}) == 1, text
        assert len(set(ends)) == len(ends), text  # a rhyme character is not used twice


def test_the_prompt_starts_the_poem(verse_model):
    result = generate_text(verse_model, "春眠", GenerationConfig(seed=1), FormConfig("jueju5"))
    assert result.texts[0].startswith("春眠") and form_regex(4, 5).match(result.texts[0])


def test_a_prompt_that_breaks_the_form_is_refused(verse_model):
    with pytest.raises(UserError, match="does not fit the form: character 6 should be '，'"):
        generate_text(verse_model, "床前明月光霜", GenerationConfig(), FormConfig("jueju5"))


def test_a_vocabulary_without_han_characters_cannot_write_chinese_forms(english_model):
    with pytest.raises(UserError, match="cannot write this form"):
        generate_text(english_model, "", GenerationConfig(), FormConfig("jueju7"))


def test_english_quatrain_has_four_lines_of_nine_to_eleven_syllables():
    model = tiny_gpt(TextTokenizer.train([ENGLISH], "bpe", vocab_size=300), block_size=64)
    config = GenerationConfig(num_return_sequences=6, seed=2, top_k=0, top_p=1.0)
    result = generate_text(model, "", config, FormConfig("quatrain"))
    for text in result.texts:
        lines = text.split("\n")
        assert len(lines) == 5 and lines[-1] == "", text  # four lines, each ended by "\n"
        assert all(9 <= syllables(line) <= 11 for line in lines[:-1]), text


def test_syllable_counter_on_known_words():
    assert [word_syllables(w) for w in ["the", "summer's", "temperate", "date", "shake"]] == [
        1, 2, 3, 1, 1]
    assert syllables("Shall I compare thee to a summer's day?") == 10


def test_pattern_and_rhyme_slots():
    pattern, slots = chinese_pattern(4, 5)
    assert pattern == "HHHHH，HHHHH。\nHHHHH，HHHHH。"
    assert [pattern[s - 1:s + 2] for s in slots] == ["HH。", "HH。"] and slots == [10, 23]


def test_unknown_form_is_a_user_error():
    with pytest.raises(UserError, match="unknown form 'haiku'"):
        FormConfig("haiku").validate()
