"""builtin:english-verse, the English verse model artforge ships: a quatrain of ten-syllable
lines at once from the command line, with an originality report against its shipped training
text, and one that rhymes ABAB; its works reproduce by name; it reads a poet it never saw
(Dickinson) far better than a fresh model of its size."""

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from artforge.catalog import records
from artforge.cli import app
from artforge.text.english_rhyme import rhymes
from artforge.text.meter import WORD, syllables
from artforge.text.model import GPTModel
from artforge.text.pipeline import load_text_model
from tests.threads import single_thread

DICKINSON = """Because I could not stop for Death,
He kindly stopped for me;
The carriage held but just ourselves
And Immortality.
We slowly drove, he knew no haste,
And I had put away
My labor, and my leisure too,
For his civility.
"""


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with single_thread():
        yield


def run(*args: str):
    return CliRunner().invoke(app, list(args), prog_name="artforge")


def test_it_writes_a_quatrain_at_once_and_it_reproduces(tmp_path):
    out = tmp_path / "poem.txt"
    result = run("text", "generate", "--model", "builtin:english-verse", "--form", "quatrain",
                 "--prompt", "The", "--seed", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text().strip().split("\n")
    assert len(lines) == 4 and lines[0].startswith("The")
    assert all(9 <= syllables(line) <= 11 for line in lines), lines
    assert "[originality] longest span shared with the training text" in result.output
    work = records.list_works()[0]
    assert work["params"]["builtin_model"] == "builtin:english-verse"
    again = run("catalog", "reproduce", str(work["id"]))
    assert again.exit_code == 0 and "identical" in again.output, again.output


def test_its_rhymed_quatrain_rhymes_abab_and_a_scheme_must_fit_the_lines():
    result = run("text", "generate", "--model", "builtin:english-verse", "--form", "quatrain",
                 "--rhyme", "--prompt", "The", "--seed", "1")
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n[originality]")[0].strip().split("\n")
    ends = [WORD.findall(line)[-1] for line in lines]
    assert len(lines) == 4 and all(9 <= syllables(line) <= 11 for line in lines), lines
    assert rhymes(ends[0], ends[2]) and rhymes(ends[1], ends[3]), lines
    wrong = run("text", "generate", "--model", "builtin:english-verse", "--form", "quatrain",
                "--scheme", "ABA")
    assert wrong.exit_code == 2
    assert wrong.output == "error: --scheme ABA has 3 letters for 4 lines.\n"


def test_it_reads_a_held_out_poet_far_better_than_a_fresh_model():
    spec = importlib.util.spec_from_file_location(
        "english_verse", Path(__file__).parents[2] / "benchmarks" / "english_verse.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    shipped = load_text_model("builtin:english-verse")
    assert shipped.tokenizer.kind == "bpe" and len(shipped.corpus_text) > 10_000_000
    fresh = GPTModel(shipped.config, shipped.tokenizer).eval()
    trained, _ = bench.bits_per_char(shipped, DICKINSON)
    untrained, _ = bench.bits_per_char(fresh, DICKINSON)
    assert trained < 3.0 < 3.5 < untrained
