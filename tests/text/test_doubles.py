"""Chinese forms that avoid repeats reduplicate (叠字) only characters the model's training text
reduplicates (artforge.text.lexicon `doubled_characters`), unless --allow-any-doubles or the
model folder has no training text."""

import pytest
from click.testing import CliRunner

from artforge.cli import app
from artforge.errors import UserError
from artforge.text import pipeline
from artforge.text.constraint import Template, is_han, repeats
from artforge.text.forms import FormConfig, chinese_pattern
from artforge.text.generate import GenerationConfig
from artforge.text.lexicon import LARGE_TEXT, doubled_characters
from artforge.text.pipeline import generate_text, load_text_model, saved_form
from artforge.text.tokenizer import TextTokenizer
from tests.text.conftest import VERSE
from tests.threads import single_thread


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with single_thread():
        yield


def doubled(poem: str) -> list[str]:
    """The characters `poem` writes twice running."""
    return [ch for n, ch in enumerate(poem) if is_han(ch) and poem[n - 1:n] == ch]


def allowed(tokenizer: TextTokenizer, start: str, doubles: frozenset[str] | None) -> set[str]:
    pattern, _ = chinese_pattern(8, 5)
    mask = Template(tokenizer, pattern, [], start=start, no_repeats=True,
                    doubles=doubles).allowed()
    strings = tokenizer.token_strings()
    return {strings[i] for i in mask.nonzero().flatten().tolist()}


def test_a_training_text_doubles_the_characters_it_writes_twice_running():
    assert doubled_characters(VERSE) == {"處"}  # 處處聞啼鳥, once: a small text
    assert doubled_characters("悠悠。" + "雨雨，" * 2 + "x" * LARGE_TEXT) == frozenset()
    assert doubled_characters("悠悠。" * 3 + "雨雨" * 2 + "ll" * 9 + "x" * LARGE_TEXT) == {"悠"}


def test_builtin_tang_doubles_what_tang_poets_double():
    tang = doubled_characters(load_text_model("builtin:tang").corpus_text)
    assert {"悠", "萧", "人", "山", "花"} <= tang  # 592, 271, 58, 28 and 8 times
    assert not {"雨", "伤", "见", "风"} & tang  # never, never, twice, twice


def test_the_constraint_reduplicates_only_the_characters_given():
    tokenizer = TextTokenizer.train([VERSE], "char")
    assert "處" in allowed(tokenizer, "白日依山盡，處", frozenset({"處"}))
    assert "日" not in allowed(tokenizer, "白日", frozenset({"處"}))
    assert "日" in allowed(tokenizer, "白日", None)  # without a set, any character
    assert not repeats("白日", "日") and repeats("白日", "日", frozenset({"處"}))
    assert not repeats("處", "處", frozenset({"處"}))


def test_a_multi_character_token_reduplicates_only_the_characters_given():
    tokenizer = TextTokenizer.train([VERSE * 3], "bpe", vocab_size=600)
    assert "處處" in allowed(tokenizer, "白日", frozenset({"處"}))
    assert "處處" not in allowed(tokenizer, "白日", frozenset())
    assert "處" in allowed(tokenizer, "白日依山盡，處", None)
    assert "處" not in allowed(tokenizer, "白日依山盡，處", frozenset())


def test_the_form_completes_when_only_a_doubling_fits():
    tokenizer = TextTokenizer.train(["白，白。"], "char")
    template = Template(tokenizer, *chinese_pattern(2, 2), no_repeats=True,
                        doubles=frozenset())
    while not template.finished():
        template.advance(int(template.allowed().nonzero()[0]))
    assert template.text == "白白，白白。"


@pytest.mark.parametrize("form", ["jueju5", "lushi5"])
def test_a_poem_reduplicates_only_what_its_training_text_does(verse_model, form):
    config, chosen = GenerationConfig(seed=3), FormConfig(form, rhyme=True, candidates=3)
    any_doubles = generate_text(verse_model, "", config, chosen).texts[0]  # no training text
    assert {"南", "物", "依", "明"} <= set(doubled(any_doubles)), any_doubles
    verse_model.corpus_text = VERSE  # which doubles 處 alone
    poem = generate_text(verse_model, "", config, chosen).texts[0]
    assert set(doubled(poem)) <= {"處"} and poem != any_doubles, poem
    assert generate_text(verse_model, "", config,
                         chosen.replace(allow_any_doubles=True)).texts[0] == any_doubles


def test_only_chinese_forms_that_avoid_repeats_keep_to_the_doubles():
    assert FormConfig("jueju5").keeps_to_doubles()
    assert not FormConfig("jueju5", allow_any_doubles=True).keeps_to_doubles()
    assert not FormConfig("jueju5", allow_repeats=True).keeps_to_doubles()
    assert not FormConfig("jueju5", candidates=1).keeps_to_doubles()
    with pytest.raises(UserError, match="--allow-any-doubles is for the Chinese forms"):
        FormConfig("quatrain", allow_any_doubles=True)


def test_the_cli_allows_any_doubles_on_request(verse_model, monkeypatch):
    verse_model.corpus_text = VERSE
    monkeypatch.setattr(pipeline, "load_text_model", lambda path, device: verse_model)

    def cli(*extra: str) -> str:
        result = CliRunner().invoke(app, ["text", "generate", "--model", "tiny", "--form",
                                          "jueju5", "--rhyme", "--candidates", "3", "--seed",
                                          "3", "--no-stream", *extra])
        assert result.exit_code == 0, result.output
        return result.output.split("\n[originality]")[0].strip()

    form = FormConfig("jueju5", rhyme=True, candidates=3, allow_any_doubles=True)
    anything = generate_text(verse_model, "", GenerationConfig(seed=3), form).texts[0]
    assert cli("--allow-any-doubles") == anything != cli()
    refused = CliRunner().invoke(app, ["text", "generate", "--model", "tiny", "--form",
                                       "sonnet", "--allow-any-doubles"])
    assert refused.exit_code == 2
    assert "--allow-any-doubles is for the Chinese forms" in refused.output


def test_a_row_from_before_the_rule_doubles_any_character():
    before = FormConfig("jueju5", rhyme=True).to_dict()
    del before["allow_any_doubles"]
    assert saved_form(before) == FormConfig("jueju5", rhyme=True, allow_any_doubles=True)
    assert saved_form(FormConfig("lushi7").to_dict()) == FormConfig("lushi7")
    assert saved_form({"form": "sonnet", "rhyme": True, "candidates": 8}) == FormConfig(
        "sonnet", rhyme=True)
