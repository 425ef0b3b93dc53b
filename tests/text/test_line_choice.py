"""Rhymed English lines chosen among candidates (artforge.text.line_choice), and the sampler
that tests only the likeliest tokens against a form (generate._likeliest_allowed)."""

import random

import pytest
import torch

from artforge.core.sampling import penalized, process_logits
from artforge.text import line_choice
from artforge.text.constraint import Constraint
from artforge.text.forms import FormConfig, build_constraints
from artforge.text.generate import (
    GenerationConfig,
    _likeliest_allowed,
    sample,
    sample_with_logprobs,
)
from artforge.text.lexicon import Lexicon, lexicon_of
from artforge.text.meter import syllables
from artforge.text.pipeline import generate_text
from artforge.text.tokenizer import TextTokenizer
from tests.text.conftest import ENGLISH, tiny_gpt
from tests.text.test_rhymed_meter import ABAB, TEXT, WORDS, assert_rhymes_by
from tests.threads import single_thread


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with single_thread():
        yield


@pytest.fixture(scope="module")
def rhyming_model():
    model = tiny_gpt(TextTokenizer.train([TEXT], "char"), block_size=64)
    model.corpus_text = TEXT
    return model


def test_a_lines_score_counts_its_end_twice():
    strings = ["And", " the", " mo", "on", ",\n"]
    assert line_choice.line_score(strings, [0, 1, 2, 3, 4], [-1.0, -2.0, -3.0, -4.0, -5.0]) \
        == -3.0 + -4.0  # all five; " mo", "on", ",\n", where the last word begins
    assert line_choice.line_score(["sea", "\n"], [0, 1], [-2.0, -4.0]) == -3.0 + -3.0


def test_each_line_is_the_best_of_its_candidates_and_a_seed_gives_one_poem(rhyming_model,
                                                                          monkeypatch):
    batches = []

    def spy(*args, **kwargs):
        batches.append(sample_with_logprobs(*args, **kwargs))
        return batches[-1]

    monkeypatch.setattr(line_choice, "sample_with_logprobs", spy)
    form = FormConfig("quatrain", rhyme=True, syllables=6, candidates=4)
    poem = generate_text(rhyming_model, "", GenerationConfig(seed=3), form).texts[0]
    lines = poem.split("\n")[:-1]
    assert len(batches) == 4 and all(len(rows) == 4 for rows, _ in batches)
    assert all(5 <= syllables(line) <= 7 for line in lines), poem
    assert_rhymes_by(ABAB, lines)
    strings = rhyming_model.tokenizer.token_strings()
    for line, (rows, logprobs) in zip(lines, batches, strict=True):
        scores = [line_choice.line_score(strings, row, lp)
                  for row, lp in zip(rows, logprobs, strict=True)]
        best = rows[scores.index(max(scores))]
        assert rhyming_model.tokenizer.decode(best) == line + "\n"
    monkeypatch.undo()
    assert generate_text(rhyming_model, "", GenerationConfig(seed=3), form).texts[0] == poem
    assert generate_text(rhyming_model, "", GenerationConfig(seed=4), form).texts[0] != poem


def test_several_poems_differ_and_one_poem_streams_line_by_line(rhyming_model):
    form = FormConfig("couplet", rhyme=True, syllables=6, candidates=3)
    two = generate_text(rhyming_model, "o", GenerationConfig(num_return_sequences=2, seed=1),
                        form).texts
    assert len(two) == 2 and two[0] != two[1] and all(t.startswith("o") for t in two)
    pieces = []
    one = generate_text(rhyming_model, "o", GenerationConfig(seed=1), form,
                        on_text=pieces.append).texts[0]
    assert one == two[0] and len(pieces) == 2 and "o" + "".join(pieces) == one
    assert all(piece.endswith("\n") and "\n" not in piece[:-1] for piece in pieces)


def test_logprobs_of_a_sample_are_the_models_own_before_temperature_and_mask(english_model):
    tokenizer = english_model.tokenizer
    prompt = [tokenizer.eos_id, *tokenizer.encode("Rough")]
    config = GenerationConfig(max_new_tokens=12, temperature=0.5, top_k=5, seed=2)
    (new,), (logprobs,) = sample_with_logprobs(english_model.net, tokenizer, prompt, config)
    with torch.no_grad():
        full = english_model.net(torch.tensor([prompt + new])).log_softmax(-1)[0]
    expected = full[len(prompt) - 1:-1].gather(-1, torch.tensor(new)[:, None])[:, 0]
    assert torch.allclose(torch.tensor(logprobs), expected, atol=1e-5)


@pytest.mark.parametrize("form", [FormConfig("quatrain", syllables=6),
                                  FormConfig("quatrain", rhyme=True, syllables=6,
                                             candidates=1)])
@pytest.mark.parametrize("filters", [
    {"top_k": 4}, {"top_k": 30, "top_p": 0.7, "temperature": 0.5},
    {"top_k": 8, "repetition_penalty": 1.5, "no_repeat_ngram_size": 2}])
def test_testing_only_the_likeliest_tokens_writes_what_whole_masks_write(form, filters):
    model = tiny_gpt(TextTokenizer.train([ENGLISH + TEXT], "bpe", vocab_size=300),
                     block_size=64)
    lexicon = lexicon_of(ENGLISH + TEXT)
    config = GenerationConfig(num_return_sequences=3, seed=5, **filters)
    prompt = [model.tokenizer.eos_id]
    quick = build_constraints(form, model.tokenizer, "", 3, lexicon)
    whole = build_constraints(form, model.tokenizer, "", 3, lexicon)
    for constraint in whole:
        constraint.per_token = False  # the sampler then takes allowed() whole
    assert (sample(model.net, model.tokenizer, prompt, config, quick)
            == sample(model.net, model.tokenizer, prompt, config, whole))


@pytest.mark.parametrize("kind", ["char", "bpe"])
@pytest.mark.parametrize("rhyme", [False, True])
def test_fits_and_plausible_agree_with_the_whole_mask(kind, rhyme):
    tokenizer = TextTokenizer.train([TEXT + TEXT.upper() + ENGLISH], kind, vocab_size=300)
    form = FormConfig("quatrain", rhyme=rhyme, syllables=6)
    rng = random.Random(0)
    for _ in range(3):
        (meter,) = build_constraints(form, tokenizer, "", 1, Lexicon(set(WORDS)))
        while not meter.finished():
            allowed = meter.allowed().nonzero().flatten().tolist()
            fitting = [i for i in range(meter.vocab) if meter.fits(i)]
            assert not fitting or fitting == allowed, meter.line
            assert bool(meter.plausible()[fitting].all()), meter.line
            meter.advance(rng.choice(allowed))


def test_a_word_after_a_quote_goes_on_as_the_word_would():
    tokenizer = TextTokenizer.train(["The 'Does does; doing\n"], "char")
    (meter,) = build_constraints(FormConfig("quatrain", syllables=6), tokenizer, "The 'Doe", 1,
                                 Lexicon({"the", "does", "doing"}))
    s, t = tokenizer.token_id("s"), tokenizer.token_id("T")
    assert meter.fits(s) and meter.plausible()[s]  # 'Does: does, quoted
    assert not meter.fits(t) and not meter.plausible()[t]  # 'DoeT begins no word


class EveryThirdBanned(Constraint):
    """A constraint that counts the tokens it is asked about."""

    per_token = True

    def __init__(self, vocab: int) -> None:
        self.vocab, self.asked = vocab, 0

    def fits(self, token: int) -> bool:
        self.asked += 1
        return token % 3 != 0

    def allowed(self) -> torch.Tensor:
        return torch.arange(self.vocab) % 3 != 0

    def plausible(self) -> torch.Tensor:
        return torch.ones(self.vocab, dtype=torch.bool)


@pytest.mark.parametrize("top_k, top_p, temperature", [(50, 0.95, 0.8), (50, 0.5, 1.0),
                                                       (5, 1.0, 1.0), (200, 0.99, 1.3)])
def test_the_likeliest_allowed_tokens_are_filtered_as_all_allowed_ones(top_k, top_p,
                                                                       temperature):
    config = GenerationConfig(top_k=top_k, top_p=top_p, temperature=temperature)
    generator = torch.Generator().manual_seed(0)
    asked = 0
    for _ in range(50):
        logits = 3 * torch.randn(1, 500, generator=generator)
        constraint = EveryThirdBanned(500)
        history = torch.zeros(1, 0, dtype=torch.long)
        quick = _likeliest_allowed(constraint, penalized(logits, history, config)[0], top_k,
                                   top_p)
        assert torch.equal(process_logits(logits, history, config, quick[None]),
                           process_logits(logits, history, config, constraint.allowed()[None]))
        asked += constraint.asked
    assert asked < 50 * (1.5 * top_k + 3)  # not all 500: k / (2/3) tokens or fewer, a call
