import random
import re

import pytest

from artforge.errors import UserError
from artforge.text.english_rhyme import rhymes
from artforge.text.forms import FormConfig, rhyme_scheme
from artforge.text.generate import GenerationConfig
from artforge.text.lexicon import Lexicon
from artforge.text.meter import WORD, syllables
from artforge.text.pipeline import generate_text
from artforge.text.rhymed_meter import RhymedMeter
from artforge.text.tokenizer import TextTokenizer
from tests.text.conftest import tiny_gpt
from tests.threads import single_thread


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with single_thread():
        yield


WORDS = ["the", "night", "and", "light", "delight", "bright", "day", "away", "play", "sea", "free",
         "me", "thee", "love", "above", "old", "cold", "gold", "in", "a", "my", "o"]
TEXT = " ".join(WORDS) + ", .\n"
ABAB = (0, 1, 0, 1)


def drive(meter: RhymedMeter, seed: int) -> list[str]:
    """Write with the meter, taking any allowed token at random; the lines it wrote."""
    rng, text = random.Random(seed), ""
    while not meter.finished():
        token = rng.choice(meter.allowed().nonzero().flatten().tolist())
        text += meter.strings[token]
        meter.advance(token)
    return text.split("\n")[:-1]


def last_words(lines: list[str]) -> list[str]:
    return [WORD.findall(line)[-1].lower() for line in lines]


def assert_rhymes_by(scheme: tuple[int, ...], lines: list[str]) -> None:
    ends = last_words(lines)
    for line in range(len(ends)):
        for earlier in range(line):
            assert scheme[line] != scheme[earlier] or rhymes(ends[line], ends[earlier]), lines


@pytest.mark.parametrize("scheme", [ABAB, (0, 0, 1, 1), (0, 0, 0, 1), (0, 1, 2, 1)])
def test_any_allowed_tokens_end_the_lines_of_a_letter_in_rhymes(scheme):
    tokenizer = TextTokenizer.train([TEXT + TEXT.upper() + "_1["], "char")
    words = Lexicon(set(WORDS))
    for seed in range(25):
        meter = RhymedMeter(tokenizer, 4, 6, lexicon=words, scheme=scheme)
        lines = drive(meter, seed)
        assert len(lines) == 4 and meter.unrhymed == 0, lines
        assert all(5 <= syllables(line) <= 7 for line in lines), lines
        assert {w.lower() for line in lines for w in WORD.findall(line)} <= set(WORDS), lines
        assert_rhymes_by(scheme, lines)
        spelt = [w for line in lines for w in WORD.findall(line)]
        assert all(w in (w.lower(), w.capitalize()) for w in spelt), lines  # no NIGHT, niGHT
        assert not any(ch in "".join(lines) for ch in "_1["), lines  # no markup
        # A rhyme is in lower case after a space, then at most a stop: not "sea,-free", "X. Me"
        rhyming = [line for line, letter in zip(lines, scheme, strict=True)
                   if scheme.count(letter) > 1]
        assert all(map(re.compile(r"(^|[A-Za-z'] )([a-z]+|O)[,.;:!?]?$").search, rhyming)), lines


def test_rhymes_are_the_lexicons_line_end_words():
    tokenizer = TextTokenizer.train([TEXT], "char")
    ends = {"night", "light", "delight", "day", "away", "play"}
    words = Lexicon(set(WORDS), line_ends=ends)
    for seed in range(10):
        lines = drive(RhymedMeter(tokenizer, 4, 6, lexicon=words, scheme=ABAB), seed)
        assert set(last_words(lines)) <= ends, lines


def test_the_prompts_lines_set_the_rhymes_of_later_ones():
    tokenizer, words = TextTokenizer.train([TEXT], "char"), Lexicon(set(WORDS))
    for seed in range(10):
        meter = RhymedMeter(tokenizer, 4, 6, start="o the cold bright night\nmy",
                            lexicon=words, scheme=ABAB)
        lines = drive(meter, seed)
        assert len(lines) == 3 and rhymes(last_words(lines)[1], "night"), lines


def test_a_line_that_cannot_rhyme_in_its_syllables_ends_unrhymed_and_is_counted():
    words = Lexicon({"delighted", "benighted", "a", "o"})  # the rhymes have three syllables
    tokenizer = TextTokenizer.train(["delighted benighted a o\n"], "char")
    meter = RhymedMeter(tokenizer, 2, 2, slack=0, lexicon=words, scheme=(0, 0))
    lines = drive(meter, 0)
    assert meter.unrhymed == 1 and len(lines) == 2
    assert all(syllables(line) == 2 for line in lines), lines


def test_an_untrained_model_writes_rhymed_quatrains_in_the_words_of_its_text():
    model = tiny_gpt(TextTokenizer.train([TEXT], "char"), block_size=64)
    model.corpus_text = TEXT
    config = GenerationConfig(num_return_sequences=4, seed=1, top_k=0, top_p=1.0)
    form = FormConfig("quatrain", rhyme=True, syllables=6, candidates=2)
    result = generate_text(model, "", config, form)
    for text in result.texts:
        lines = text.split("\n")[:-1]
        assert len(lines) == 4 and all(5 <= syllables(line) <= 7 for line in lines), text
        assert_rhymes_by(ABAB, lines)
    model.corpus_text = None
    with pytest.raises(UserError, match="English rhymes keep to the words of the model's"):
        generate_text(model, "", config, FormConfig("quatrain", rhyme=True))


@pytest.mark.parametrize("form, lines, scheme, letters", [
    ("quatrain", 0, "", "ABAB"), ("couplet", 0, "", "AA"), ("lines", 5, "", "AABBB"),
    ("sonnet", 0, "", "ABABCDCDEFEFGG"), ("quatrain", 6, "", "ABABCC"), ("lines", 1, "", "A"),
    ("quatrain", 0, "ab cb", "ABCB"), ("lines", 5, "AABBA", "AABBA"),
])
def test_rhyme_schemes_of_the_forms_and_given_ones(form, lines, scheme, letters):
    config = FormConfig(form, rhyme=True, lines=lines, scheme=scheme)
    assert "".join(chr(ord("A") + n) for n in rhyme_scheme(config)) == letters


@pytest.mark.parametrize("options, message", [
    ({"form": "quatrain", "scheme": "ABA"}, "--scheme ABA has 3 letters for 4 lines"),
    ({"form": "couplet", "scheme": "A1"}, "--scheme 'A1' must be letters, one per line"),
    ({"form": "jueju5", "scheme": "AABA"}, "--scheme is for the English forms"),
    ({"rhyme": True}, "--rhyme needs a verse form"),
    ({"form": "quatrain", "rhyme": True, "candidates": 0}, "--candidates must be 1 to 64"),
    ({"form": "sonnet", "rhyme": True, "known_words": False}, "leave out --any-words"),
])
def test_schemes_that_cannot_work_are_refused(options, message):
    with pytest.raises(UserError, match=message):
        FormConfig(**options)
