"""Chinese forms written a couplet at a time, each chosen among candidates
(artforge.text.line_choice): the form, the rhyme and the seed hold as in one pass."""

import statistics

import pytest

from artforge.text import line_choice
from artforge.text.forms import FormConfig, build_constraints
from artforge.text.generate import GenerationConfig, sample, sample_with_logprobs
from artforge.text.pipeline import generate_text
from artforge.text.rhyme import rhyme_class
from tests.text.test_forms import SHAPES, form_regex
from tests.threads import single_thread


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with single_thread():
        yield


def couplet_score(couplet: str, logprobs: list[float], rhymes: bool) -> float:
    """The mean log-prob of a couplet's characters, plus, with rhyme, the mean from its
    rhyme character (the last before "。") on (one token a character)."""
    end = couplet.rindex("。") - 1
    return statistics.fmean(logprobs) + (statistics.fmean(logprobs[end:]) if rhymes else 0)


def one_pass(model, prompt: str, config: GenerationConfig, form: FormConfig) -> str:
    """The poem the one-pass decoder writes: the whole form sampled under one mask."""
    tokenizer = model.tokenizer
    ids = [tokenizer.eos_id, *tokenizer.encode(prompt)]
    constraints = build_constraints(form, tokenizer, prompt, 1)
    return prompt + tokenizer.decode(sample(model.net, tokenizer, ids, config, constraints)[0])


@pytest.mark.parametrize("rhyme", [False, True])
def test_each_couplet_is_the_best_scoring_of_its_candidates(verse_model, monkeypatch, rhyme):
    batches = []

    def spy(*args, **kwargs):
        batches.append(sample_with_logprobs(*args, **kwargs))
        return batches[-1]

    monkeypatch.setattr(line_choice, "sample_with_logprobs", spy)
    form = FormConfig("lushi5", rhyme=rhyme, candidates=4)
    poem = generate_text(verse_model, "", GenerationConfig(seed=2), form).texts[0]
    assert form_regex(8, 5).match(poem), poem
    couplets = poem.split("\n")
    assert len(batches) == 4 and all(len(rows) == 4 for rows, _ in batches)
    kept = []
    for couplet, (rows, logprobs) in zip(couplets, batches, strict=True):
        texts = [verse_model.tokenizer.decode(row) for row in rows]
        scores = [couplet_score(text, lp, rhyme) for text, lp in zip(texts, logprobs,
                                                                      strict=True)]
        assert len(set(texts)) == 4  # four different couplets to choose from
        kept.append(scores.index(max(scores)))
        assert texts[kept[-1]].rstrip("\n") == couplet
    assert kept != [0] * 4  # not simply the first sampled


@pytest.mark.parametrize("form", SHAPES)
@pytest.mark.parametrize("rhyme", [False, True])
def test_a_chosen_poem_keeps_the_form_and_rhyme_and_a_seed_gives_one_poem(verse_model, form,
                                                                          rhyme):
    chosen = FormConfig(form, rhyme=rhyme, candidates=3)
    poem = generate_text(verse_model, "春", GenerationConfig(seed=5), chosen).texts[0]
    assert form_regex(*SHAPES[form]).match(poem) and poem.startswith("春"), poem
    if rhyme:
        ends = [line[-2] for line in poem.split("\n")]
        assert len({rhyme_class(ch) for ch in ends}) == 1 and len(set(ends)) == len(ends), poem
    assert generate_text(verse_model, "春", GenerationConfig(seed=5), chosen).texts[0] == poem
    assert generate_text(verse_model, "春", GenerationConfig(seed=6), chosen).texts[0] != poem
    # Chosen, not written in one pass.
    assert poem != one_pass(verse_model, "春", GenerationConfig(seed=5), chosen)


@pytest.mark.parametrize("form", ["jueju7", "lushi5"])
def test_one_candidate_writes_what_the_one_pass_decoder_writes(verse_model, form):
    config = GenerationConfig(seed=7)
    once = FormConfig(form, rhyme=True, candidates=1)
    poem = generate_text(verse_model, "白日", config, once).texts[0]
    assert poem == one_pass(verse_model, "白日", config, once)
    assert poem != generate_text(verse_model, "白日", config, once.replace(candidates=2)).texts[0]


def test_chinese_forms_choose_their_couplets_by_default_rhymed_or_not():
    assert FormConfig("jueju5").chooses_lines() and FormConfig("lushi7", rhyme=True).chooses_lines()
    assert not FormConfig("jueju5", candidates=1).chooses_lines()
    assert FormConfig("jueju7").text_lines() == 2 and FormConfig("lushi5").text_lines() == 4


def test_a_couplet_ends_at_its_line_break_but_rhymes_as_the_whole_poem_needs(verse_model):
    tokenizer = verse_model.tokenizer
    (first,) = build_constraints(FormConfig("lushi5", rhyme=True), tokenizer, "白日依山", 1,
                                 lines=1)
    (last,) = build_constraints(FormConfig("lushi5", rhyme=True), tokenizer, "白日依山", 1,
                                lines=4)
    assert first.end == len("白日依山盡，黃河入海流。\n") and last.end == len(last.pattern)
    assert first.max_tokens() == first.end - 4 + 1
    assert all(len(ids) >= 4 for ids in first.rhyme_groups.values())  # four rhyme slots
    for ch in "盡，黃河入海流。\n":
        assert not first.finished()
        first.advance(tokenizer.token_id(ch))
    assert first.finished() and first.max_tokens() == 0


def test_one_poem_streams_couplet_by_couplet_and_several_differ(verse_model):
    form = FormConfig("jueju5", rhyme=True, candidates=3)
    pieces = []
    one = generate_text(verse_model, "", GenerationConfig(seed=1), form,
                        on_text=pieces.append).texts[0]
    assert pieces == [one.split("\n")[0] + "\n", one.split("\n")[1]]
    two = generate_text(verse_model, "", GenerationConfig(num_return_sequences=2, seed=1),
                        form).texts
    assert two[0] == one and two[1] != one


@pytest.mark.parametrize("candidates", [1, 4])
def test_a_prompt_that_is_the_whole_poem_is_the_poem(verse_model, candidates):
    whole = "床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。"
    form = FormConfig("jueju5", rhyme=True, candidates=candidates)
    assert generate_text(verse_model, whole, GenerationConfig(), form).texts == [whole]


def test_a_chinese_lines_end_is_its_rhyme_character_and_what_follows():
    strings = ["白", "日", "依", "山", "盡", "。", "\n"]
    logprobs = [-1.0, -2.0, -3.0, -4.0, -5.0, -0.5, -0.5]
    assert line_choice.line_score(strings, list(range(7)), logprobs) == -16 / 7 + -6 / 3
    assert line_choice.line_score(strings, list(range(7)), logprobs, rhymes=False) == -16 / 7
