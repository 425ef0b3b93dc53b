import re

from artforge.text.forms import FormConfig
from artforge.text.generate import GenerationConfig
from artforge.text.lexicon import Lexicon, lexicon_of
from artforge.text.meter import syllables
from artforge.text.pipeline import generate_text
from artforge.text.tokenizer import TextTokenizer
from tests.text.conftest import ENGLISH, tiny_gpt


def test_a_token_fits_when_its_words_are_known_and_its_open_word_can_become_one():
    words = Lexicon({"summer", "summer's", "day", "o'er", "the"})
    assert words.fits("sum") and words.fits("summer's d") and words.fits("o'er the ")
    assert words.cost("sum") == 2 and words.cost("the d") == 2  # summer; the + day
    assert words.fits("The Day")  # case does not matter
    assert not words.fits("sumx") and not words.fits("summers ")  # not a beginning; unknown
    assert words.fits(", ") and words.fits("")  # no word at all


def test_a_large_text_keeps_words_seen_three_times_a_small_one_every_word():
    small = lexicon_of("The wind, the Wind; a windx.")
    assert small.words == {"the", "wind", "a", "windx"}
    large = lexicon_of("word " * 200_000 + "rare rare " + "often " * 3)
    assert large.words == {"word", "often"}


def test_english_lines_keep_to_the_words_of_the_training_text():
    model = tiny_gpt(TextTokenizer.train([ENGLISH], "bpe", vocab_size=300), block_size=64)
    config = GenerationConfig(num_return_sequences=6, seed=2, top_k=0, top_p=1.0)
    known = {w.lower().strip("'") for w in re.findall(r"[A-Za-z']+", ENGLISH)}
    model.corpus_text = None
    untrained = generate_text(model, "", config, FormConfig("quatrain"))
    model.corpus_text = ENGLISH
    kept = generate_text(model, "", config, FormConfig("quatrain"))
    loose = generate_text(model, "", config, FormConfig("quatrain", known_words=False))
    assert loose.texts == untrained.texts  # --any-words: as without a training text
    spelt = {w.lower().strip("'") for t in untrained.texts for w in re.findall(r"[A-Za-z']+", t)}
    invented = spelt - known
    assert invented  # an untrained model spells words that are not in the text
    for text in kept.texts:
        lines = text.split("\n")
        assert len(lines) == 5 and all(9 <= syllables(line) <= 11 for line in lines[:-1]), text
        assert {w.lower().strip("'") for w in re.findall(r"[A-Za-z']+", text)} <= known, text


def test_rhymed_lines_end_in_words_the_text_often_ends_lines_with():
    lines = ["the sea of the night", "and of the day"] * 300 + ["o the sea"] * 20 + ["o ''"] * 400
    lexicon = lexicon_of("\n".join(lines) + "\n")
    assert lexicon.line_ends == {"night", "day"}  # "sea" ends 20 of its 320 uses; "o" none
    assert "''" not in lexicon.words and "'" not in lexicon.words  # a quote alone is no word
    few = lexicon_of("the wind of the night\nand of the day\n")  # too few lines to tell
    assert few.line_ends == few.words
