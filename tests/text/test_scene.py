"""Chinese forms whose couplets are chosen keep to one season and one time of day
(artforge.text.scene; line_choice `chosen`), unless --allow-scene-mix."""

import pytest
from click.testing import CliRunner

from artforge.cli import app
from artforge.errors import UserError
from artforge.text import line_choice, pipeline, scene
from artforge.text.forms import FormConfig
from artforge.text.generate import GenerationConfig
from artforge.text.pipeline import generate_text, saved_form
from artforge.text.scene import clashes, conflicts
from tests.text.test_forms import form_regex
from tests.threads import single_thread

PROMPT, SEED = "春", 2
"""A seed where the tiny model, left to mix, writes 霜 (autumn, winter) after 春."""


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with single_thread():
        yield


@pytest.mark.parametrize("text, pairs", [
    ("春日不禁关，秋来空使君。", [("春", "秋")]),
    ("晨钟出远寺，落日满空山。", [("晨", "落日")]),  # dawn beside dusk
    ("亭午山无影，三更月满楼。", [("午", "三更")]),  # noon beside night
    ("蝉声满古寺，春色到寒山。", [("蝉", "春")]),  # cicadas: summer or autumn
    ("夏云生远岫，积雪满空山。", [("夏", "雪")]),
    ("曉來風正急，夕陽下西樓。", [("晓", "夕阳")]),  # traditional, read as simplified
    ("春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少。", []),  # night runs into dawn
    ("落日照大旗，马鸣风萧萧。\n中夜闻笳起，孤城月色高。", []),  # dusk into night
    ("蝉噪林逾静，秋风下客船。", []),
    ("春雪满空来，梅花落野台。", []),  # snow and plum blossom into spring
    ("两个黄鹂鸣翠柳，一行白鹭上青天。\n窗含西岭千秋雪，门泊东吴万里船。", []),  # 千秋: ages
    ("夏日长如岁，白头皆似雪。", []),  # white hair, not snow
    ("南国无尘水似秋，还家远送春江客。", []),  # a likeness, not the season
    ("暮春三月晓，烟雨满江城。", []),  # late spring, not spring at dusk
    ("远上寒山石径斜，白云生处有人家。\n停车坐爱枫林晚，霜叶红于二月花。", []),
])
def test_words_that_name_different_seasons_or_far_apart_times_conflict(text, pairs):
    assert conflicts(text) == pairs


def test_a_couplet_clashes_with_the_poem_so_far_or_with_itself():
    spring = "春风吹野岸，花落满江城。\n"
    assert clashes(spring, "秋雨连山暗，孤舟向晚行。\n")
    assert not clashes(spring, "孤舟随水远，细草绕门生。\n")
    assert clashes("", "晨钟出远寺，落日满空山。\n")
    # Only what the couplet names counts: the prompt's own mix is not the couplet's fault,
    # and a compound across the two (千秋, ages) names no season.
    assert not clashes("春去秋来，", "孤舟随水远，细草绕门生。\n")
    assert not clashes("春到江城忆千", "秋事，细草绕门生。\n")
    assert clashes("春到江城忆", "秋事，细草绕门生。\n")


def test_the_likeliest_couplet_in_the_poems_scene_is_kept():
    written = "春风吹野岸，花落满江城。\n"
    texts = ["秋雨连山暗，孤舟向晚行。", "孤舟随水远，细草绕门生。", "寒蝉鸣古木，白鸟下沙汀。",
             "晨钟出远寺，落日满空山。", "闲云归古寺，流水绕荒城。"]
    scores = [-1.0, -2.5, -1.5, -0.5, -2.0]
    rhymed = [True] * 5
    assert line_choice.chosen(texts, scores, rhymed, written, one_scene=True) == 4
    assert line_choice.chosen(texts, scores, rhymed, written, one_scene=False) == 3
    # Where every candidate clashes, the likeliest; a couplet that rhymes comes first.
    assert line_choice.chosen(texts[:4:2], scores[:4:2], rhymed[:2], written, True) == 0
    assert line_choice.chosen(texts, scores, [True, True, True, True, False], written,
                              True) == 1


def test_a_chosen_poem_keeps_one_scene_and_allowing_a_mix_writes_it_as_before(verse_model,
                                                                              monkeypatch):
    config, form = GenerationConfig(seed=SEED), FormConfig("lushi5", rhyme=True)
    kept = generate_text(verse_model, PROMPT, config, form).texts[0]
    mixed = generate_text(verse_model, PROMPT, config,
                          form.replace(allow_scene_mix=True)).texts[0]
    assert form_regex(8, 5).match(kept), kept
    assert conflicts(kept) == [] and conflicts(mixed) == [("春", "霜")], (kept, mixed)
    monkeypatch.setattr(scene, "clashes", lambda written, couplet: False)
    assert generate_text(verse_model, PROMPT, config, form).texts[0] == mixed


def test_only_chosen_chinese_couplets_keep_one_scene():
    assert FormConfig("jueju5").keeps_one_scene()
    assert not FormConfig("jueju5", candidates=1).keeps_one_scene()
    assert not FormConfig("lushi7", allow_scene_mix=True).keeps_one_scene()
    assert not FormConfig("quatrain", rhyme=True).keeps_one_scene()
    with pytest.raises(UserError, match="--allow-scene-mix is for the Chinese forms"):
        FormConfig("sonnet", allow_scene_mix=True)


def test_the_cli_allows_a_mix_on_request(verse_model, monkeypatch):
    monkeypatch.setattr(pipeline, "load_text_model", lambda path, device: verse_model)

    def cli(*extra: str) -> str:
        result = CliRunner().invoke(app, ["text", "generate", "--model", "tiny", "--form",
                                          "lushi5", "--rhyme", "--prompt", PROMPT, "--seed",
                                          str(SEED), "--no-stream", *extra])
        assert result.exit_code == 0, result.output
        return result.output.split("\n[originality]")[0].strip()

    config, form = GenerationConfig(seed=SEED), FormConfig("lushi5", rhyme=True)
    mixed = form.replace(allow_scene_mix=True)
    assert cli() == generate_text(verse_model, PROMPT, config, form).texts[0]
    assert cli("--allow-scene-mix") == generate_text(verse_model, PROMPT, config,
                                                     mixed).texts[0] != cli()
    refused = CliRunner().invoke(app, ["text", "generate", "--model", "tiny", "--form",
                                       "quatrain", "--allow-scene-mix"])
    assert refused.exit_code == 2
    assert "--allow-scene-mix is for the Chinese forms" in refused.output


def test_a_row_from_before_the_rule_reproduces_without_it():
    before = {"form": "lushi5", "rhyme": True, "candidates": 8, "allow_repeats": False}
    assert saved_form(before) == FormConfig("lushi5", rhyme=True, allow_scene_mix=True,
                                            allow_any_doubles=True)
    assert saved_form(FormConfig("lushi5").to_dict()) == FormConfig("lushi5")
    english = {"form": "quatrain", "rhyme": True, "candidates": 8}
    assert saved_form(english) == FormConfig("quatrain", rhyme=True)
