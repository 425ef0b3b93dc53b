"""Chinese forms whose couplets are chosen write no character twice but as reduplication
(忌重字; artforge.text.constraint `repeats`), unless --allow-repeats."""

import pytest
from click.testing import CliRunner

from artforge.cli import app
from artforge.errors import UserError
from artforge.text import pipeline
from artforge.text.constraint import Template, is_han
from artforge.text.forms import FormConfig, chinese_pattern
from artforge.text.generate import GenerationConfig
from artforge.text.pipeline import generate_text
from artforge.text.rhyme import rhyme_class
from artforge.text.tokenizer import TextTokenizer
from tests.text.conftest import VERSE, tiny_gpt
from tests.text.test_forms import SHAPES, form_regex
from tests.threads import single_thread


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with single_thread():
        yield


def repeated(poem: str) -> list[str]:
    """The characters of `poem` that repeat one before them, other than a character written
    twice running (悠悠) that had not come before."""
    return [ch for n, ch in enumerate(poem) if is_han(ch) and ch in poem[:n]
            and not (poem[n - 1] == ch and poem[:n].count(ch) == 1)]


@pytest.mark.parametrize("form", SHAPES)
@pytest.mark.parametrize("rhyme", [False, True])
def test_a_chosen_poem_repeats_no_character_and_keeps_its_form(verse_model, form, rhyme):
    chosen = FormConfig(form, rhyme=rhyme, candidates=3)
    poem = generate_text(verse_model, "春", GenerationConfig(seed=0), chosen).texts[0]
    assert form_regex(*SHAPES[form]).match(poem) and poem.startswith("春"), poem
    assert repeated(poem) == [], poem
    if rhyme:
        ends = [line[-2] for line in poem.split("\n")]
        assert len({rhyme_class(ch) for ch in ends}) == 1 and len(set(ends)) == len(ends), poem
    assert generate_text(verse_model, "春", GenerationConfig(seed=0), chosen).texts[0] == poem
    # The untrained model repeats characters when it may.
    allowed = chosen.replace(allow_repeats=True)
    assert repeated(generate_text(verse_model, "春", GenerationConfig(seed=0), allowed).texts[0])


@pytest.mark.parametrize("form", ["jueju7", "lushi5"])
def test_allowing_repeats_writes_the_poem_chosen_without_the_rule(verse_model, monkeypatch,
                                                                  form):
    config, chosen = GenerationConfig(seed=3), FormConfig(form, rhyme=True, candidates=4)
    kept = generate_text(verse_model, "", config, chosen).texts[0]
    allowed = generate_text(verse_model, "", config, chosen.replace(allow_repeats=True)).texts[0]
    monkeypatch.setattr(Template, "_avoid_repeats", lambda self, mask: None)
    assert generate_text(verse_model, "", config, chosen).texts[0] == allowed != kept


def test_only_chosen_chinese_couplets_avoid_repeats():
    assert FormConfig("jueju5").avoids_repeats()
    assert FormConfig("lushi7", rhyme=True).avoids_repeats()
    assert not FormConfig("jueju5", candidates=1).avoids_repeats()
    assert not FormConfig("jueju5", allow_repeats=True).avoids_repeats()
    assert not FormConfig("quatrain", rhyme=True).avoids_repeats()
    with pytest.raises(UserError, match="--allow-repeats is for the Chinese forms"):
        FormConfig("quatrain", allow_repeats=True)


def test_multi_character_tokens_may_not_repeat_but_may_reduplicate():
    tokenizer = TextTokenizer.train([VERSE * 3], "bpe", vocab_size=600)
    strings = tokenizer.token_strings()
    pattern, _ = chinese_pattern(8, 5)

    def allowed(start: str) -> set[str]:
        mask = Template(tokenizer, pattern, [], start=start, no_repeats=True).allowed()
        return {strings[i] for i in mask.nonzero().flatten().tolist()}

    after_white_sun = allowed("白日")
    assert {"明月", "處處", "千里目", "日還"} <= after_white_sun  # 日日: reduplication
    assert not {"白", "白帝", "白日依山"} & after_white_sun
    after_the_line = allowed("白日依山盡，")
    assert {"明月", "千里"} <= after_the_line
    assert not {"日還", "日依山", "白帝"} & after_the_line
    assert {"日還", "白帝"} <= {strings[i] for i in Template(tokenizer, pattern, [],
                                start="白日依山盡，").allowed().nonzero().flatten().tolist()}
    after_chu = allowed("白日依山盡，處")
    assert {"處", "聞啼鳥"} <= after_chu and "處處" not in after_chu
    assert "處" not in allowed("白日依山盡，處處")


def test_a_vocabulary_too_small_for_the_rule_still_writes_the_form():
    couplet = "床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。"
    model = tiny_gpt(TextTokenizer.train([couplet], "char"), block_size=64)
    assert len({ch for ch in couplet if is_han(ch)}) == 17  # for 20 places
    form = FormConfig("jueju5", rhyme=True, candidates=3)
    poem = generate_text(model, "", GenerationConfig(seed=1), form).texts[0]
    assert form_regex(4, 5).match(poem), poem
    ends = [line[-2] for line in poem.split("\n")]
    assert rhyme_class(ends[0]) == rhyme_class(ends[1]) and ends[0] != ends[1], poem
    allowed = generate_text(model, "", GenerationConfig(seed=1),
                            form.replace(allow_repeats=True)).texts[0]
    assert 0 < len(repeated(poem)) < len(repeated(allowed)), (poem, allowed)


def test_the_cli_allows_repeats_on_request(verse_model, monkeypatch):
    monkeypatch.setattr(pipeline, "load_text_model", lambda path, device: verse_model)

    def cli(*extra: str) -> str:
        result = CliRunner().invoke(app, ["text", "generate", "--model", "tiny", "--form",
                                          "lushi5", "--seed", "4", "--no-stream", *extra])
        assert result.exit_code == 0, result.output
        return result.output.split("\n[originality]")[0].strip()

    config = GenerationConfig(seed=4)
    assert cli() == generate_text(verse_model, "", config, FormConfig("lushi5")).texts[0]
    allowed = FormConfig("lushi5", allow_repeats=True)
    assert cli("--allow-repeats") == generate_text(verse_model, "", config, allowed).texts[0]
    assert repeated(cli("--allow-repeats")) and not repeated(cli())
    refused = CliRunner().invoke(app, ["text", "generate", "--model", "tiny", "--form",
                                       "quatrain", "--allow-repeats"])
    assert refused.exit_code == 2
    assert "--allow-repeats is for the Chinese forms" in refused.output
