"""builtin:tang, the text model artforge ships: it writes exact, rhyming verse at once from
the command line, its works reproduce on any install, and a damaged or unknown shipped model
is one sentence."""

import re
import shutil

from click.testing import CliRunner

from artforge import media
from artforge.catalog import records
from artforge.cli import app
from artforge.data import shipped_models
from artforge.text.pipeline import load_text_model

HAN = r"[\u3400-\u9fff]"


def run(*args: str):
    return CliRunner().invoke(app, list(args), prog_name="artforge")


def test_it_writes_a_rhyming_jueju_at_once_and_it_reproduces(tmp_path):
    out = tmp_path / "poem.txt"
    result = run("text", "generate", "--model", "builtin:tang", "--form", "jueju5", "--rhyme",
                 "--prompt", "春", "--seed", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    poem = out.read_text().strip()
    assert re.fullmatch(rf"春{HAN}{{4}}，{HAN}{{5}}。\n{HAN}{{5}}，{HAN}{{5}}。", poem), poem
    # The originality report compares with the shipped training text (Tang poems).
    assert "[originality] longest span shared with the training text" in result.output
    work = records.list_works()[0]
    assert work["params"]["builtin_model"] == "builtin:tang"
    tang = next(m for m in media.shipped_models() if m.name == "builtin:tang")
    assert work["model_path"] == str(shipped_models.shipped_folder(tang))
    again = run("catalog", "reproduce", str(work["id"]))
    assert again.exit_code == 0 and "identical" in again.output, again.output


def test_it_knows_the_simplified_characters_of_tang_verse():
    model = load_text_model("builtin:tang")
    assert model.config.block_size == 64 and model.tokenizer.kind == "char"
    assert all(model.tokenizer.token_id(ch) is not None for ch in "床前明月光疑是地上霜举头望")
    assert model.corpus_text.count("\n\n") > 40_000  # the training poems, for originality


def test_a_damaged_shipped_folder_is_one_sentence(tmp_path, monkeypatch):
    damaged = tmp_path / "tang"
    tang = next(m for m in media.shipped_models() if m.name == "builtin:tang")
    shutil.copytree(shipped_models.shipped_folder(tang), damaged)
    weights = damaged / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    monkeypatch.setattr(shipped_models, "shipped_folder", lambda model: damaged)
    result = run("text", "generate", "--model", "builtin:tang", "--prompt", "春")
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output


def test_an_unknown_shipped_name_is_one_sentence():
    result = run("text", "generate", "--model", "builtin:song", "--prompt", "春")
    assert result.exit_code == 2
    assert result.output == ("error: there is no built-in text model builtin:song; the built-in "
                             "ones are builtin:tang, builtin:english-verse.\n")


def test_it_loads_on_the_device_auto_picks():
    assert load_text_model("builtin:tang", device="auto").net.lm_head.weight.device.type == "cpu"


def test_a_poem_catalogued_before_couplets_were_chosen_reproduces_as_written(tmp_path):
    from artforge.text.forms import FormConfig
    from artforge.text.generate import GenerationConfig
    from artforge.text.pipeline import generate_text, saved_form

    one_pass = generate_text("builtin:tang", "春", GenerationConfig(seed=1),
                             FormConfig("jueju5", rhyme=True, candidates=1)).texts[0]
    chosen = generate_text("builtin:tang", "春", GenerationConfig(seed=1),
                           FormConfig("jueju5", rhyme=True)).texts[0]
    assert one_pass != chosen
    # Rows of session 15 carried "candidates" (English rhymes only then), not "allow_repeats".
    for saved in ({"form": "jueju5", "rhyme": True},
                  {"form": "jueju5", "rhyme": True, "candidates": 8}):
        old = saved_form(saved)
        assert generate_text("builtin:tang", "春", GenerationConfig(seed=1), old).texts[0] \
            == one_pass
    assert saved_form(FormConfig("jueju5", rhyme=True).to_dict()) == FormConfig("jueju5",
                                                                              rhyme=True)


def test_a_poem_catalogued_before_couplets_kept_one_scene_reproduces_as_written(tmp_path):
    from artforge.text.forms import FormConfig
    from artforge.text.generate import GenerationConfig
    from artforge.text.pipeline import Generation, save_generation

    # Written (spring, then autumn) and catalogued before the rule: no "allow_scene_mix".
    written = "野店寻高树，行人忆故园。\n春风生楚水，秋景隔湘山。"
    form = FormConfig("jueju5", rhyme=True).to_dict()
    del form["allow_scene_mix"]
    params = {"prompt": "", "control": None, "form": form,
              "config": GenerationConfig(temperature=0.8, top_k=40, seed=1).to_dict()}
    save_generation(Generation("", [written], [None]), params, "builtin:tang",
                    tmp_path / "old.txt")
    again = run("catalog", "reproduce", str(records.list_works()[0]["id"]))
    assert again.exit_code == 0 and "identical" in again.output, again.output
    now = run("text", "generate", "--model", "builtin:tang", "--form", "jueju5", "--rhyme",
              "--temperature", "0.8", "--top-k", "40", "--seed", "1", "--no-stream")
    assert now.output.startswith("野店寻高树，行人忆故园。\n竹林留宿雨，松院对寒烟。\n"), now.output


def test_a_poem_catalogued_before_doubles_kept_to_the_training_text_reproduces_as_written(
        tmp_path):
    from artforge.text.forms import FormConfig
    from artforge.text.generate import GenerationConfig
    from artforge.text.pipeline import Generation, save_generation

    # Written (雨雨, which no Tang poem in the training text writes) and catalogued before
    # the rule: no "allow_any_doubles".
    written = "江南雨雨雪，远近洞庭烟。\n旧隐无人见，新诗未可传。"
    form = FormConfig("jueju5", rhyme=True).to_dict()
    del form["allow_any_doubles"]
    params = {"prompt": "", "control": None, "form": form,
              "config": GenerationConfig(seed=5).to_dict()}
    save_generation(Generation("", [written], [None]), params, "builtin:tang",
                    tmp_path / "old.txt")
    again = run("catalog", "reproduce", str(records.list_works()[0]["id"]))
    assert again.exit_code == 0 and "identical" in again.output, again.output
    now = run("text", "generate", "--model", "builtin:tang", "--form", "jueju5", "--rhyme",
              "--seed", "5", "--no-stream")
    assert now.output.startswith("江南雨露绿，远近洞庭深。\n独有孤舟客，谁能问旧人。\n"), \
        now.output
