"""`artforge text` end to end on a tiny corpus folder: train, resume, generate, eval, bad input."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

from artforge.catalog import records
from artforge.cli import app
from artforge.core import checkpoint
from artforge.text.model import GPTModel
from tests.core.test_kill_resume import logged_steps, wait_for
from tests.text.conftest import ENGLISH, VERSE

TINY = ["--preset", "tiny", "--block-size", "16", "--batch-size", "4", "--device", "cpu"]


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Two sub-folders (two control codes), plus files that must be skipped."""
    root = tmp_path / "corpus"
    (root / "poems").mkdir(parents=True)
    (root / "verse").mkdir()
    (root / "poems" / "sonnet.txt").write_text(ENGLISH * 3)
    (root / "verse" / "tang.txt").write_text(VERSE)
    (root / "poems" / "empty.txt").write_text("  \n")
    (root / "poems" / "picture.txt").write_bytes(b"\x89PNG\x00\x00binary")
    return root


def run(*args: str):
    return CliRunner().invoke(app, list(args), prog_name="artforge")


def train(corpus: Path, out: Path, steps: int, *extra: str):
    return run("text", "train", "--data", str(corpus), "--out", str(out), "--steps", str(steps),
               "--save-every", "2", *TINY, *extra)


def test_train_generate_eval_on_a_folder(corpus, tmp_path):
    out = tmp_path / "run"
    result = train(corpus, out, 3)
    assert result.exit_code == 0, result.output
    assert "Trained to step 3 (steps)" in result.output
    assert "picture.txt: binary file" in result.output and "empty.txt: empty" in result.output
    model = GPTModel.load(out)
    assert model.tokenizer.token_id("<|poems|>") is not None
    assert model.corpus_text and "temperate" in model.corpus_text
    assert (checkpoint.resolve(out) / "tokenizer.json").is_file()

    gen = run("text", "generate", "--model", str(out), "--prompt", "Thou", "--control", "poems",
              "--max-new-tokens", "20", "--out", str(tmp_path / "poem.txt"))
    assert gen.exit_code == 0, gen.output
    assert gen.output.startswith("Thou") and "[originality] longest span" in gen.output
    saved = (tmp_path / "poem.txt").read_text()
    assert saved.startswith("Thou")
    work = records.list_works()[0]
    assert work["medium"] == "text" and work["pipeline"] == "text.generate"
    again = run("catalog", "reproduce", str(work["id"]), "--out", str(tmp_path / "again.txt"))
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.txt").read_text() == saved

    form = run("text", "generate", "--model", str(out), "--form", "jueju5", "-n", "2")
    assert form.exit_code == 0, form.output
    couplets = re.findall(r"^[\u3400-\u9fff]{5}，[\u3400-\u9fff]{5}。$", form.output, re.M)
    assert len(couplets) == 4  # two poems of two couplet lines

    ev = run("text", "eval", "--model", str(out), "--data", str(corpus))
    assert ev.exit_code == 0, ev.output
    assert "bits/char" in ev.output and "perplexity" in ev.output


def test_resume_continues_bit_for_bit(corpus, tmp_path):
    # A constant rate: a fall over 2 steps, then resumed to 4, is another schedule.
    same = ("--schedule", "constant")
    assert train(corpus, tmp_path / "straight", 4, *same).exit_code == 0
    assert train(corpus, tmp_path / "split", 2, *same).exit_code == 0
    assert train(corpus, tmp_path / "split", 4, "--resume").exit_code == 0
    a = GPTModel.load(tmp_path / "straight").state_dict()
    b = GPTModel.load(tmp_path / "split").state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_resume_keeps_the_runs_own_rate_and_step_target_unless_told(corpus, tmp_path):
    out = tmp_path / "run"
    assert train(corpus, out, 2, "--lr", "0.005", "--no-amp", "--schedule",
                 "constant").exit_code == 0
    done = run("text", "train", "--data", str(corpus), "--out", str(out), "--resume",
               "--preset", "tiny", "--block-size", "16", "--device", "cpu")
    assert done.exit_code == 0 and "Trained to step 2 (steps)" in done.output  # its 2 steps
    assert train(corpus, out, 3, "--resume").exit_code == 0  # --steps given, --lr not
    saved = checkpoint.read_training_state(checkpoint.latest_checkpoint(out))["train_config"]
    assert (saved["steps"], saved["lr"], saved["amp"], saved["batch_size"],
            saved["schedule"]) == (3, 0.005, False, 4, "constant")  # text's default: wsd
    assert train(corpus, out, 4, "--resume", "--lr", "0.001").exit_code == 0  # told
    saved = checkpoint.read_training_state(checkpoint.latest_checkpoint(out))["train_config"]
    assert saved["lr"] == 0.001


def test_kill_9_then_resume(corpus, tmp_path):
    out = tmp_path / "run"
    command = [sys.executable, "-m", "artforge", "text", "train", "--data", str(corpus),
               "--out", str(out), "--steps", "100000", "--save-every", "5", *TINY]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: checkpoint.latest_checkpoint(out) is not None, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    saved = int(checkpoint.latest_checkpoint(out).name.removeprefix("step-"))
    assert isinstance(GPTModel.load(out), GPTModel)
    resumed = train(corpus, out, saved + 3, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert logged_steps(out)[-1] == saved + 3


@pytest.mark.parametrize("case, message", [
    ("empty", "has no usable text (empty.txt: empty)"),
    ("binary", "has no usable text (blob.txt: binary file)"),
    ("short", "fewer than the block size 16"),
    ("missing", "does not exist"),
    ("builtin", "unknown built-in corpus 'nope'"),
])
def test_bad_corpora_are_one_line_and_exit_2(tmp_path, case, message):
    folder = tmp_path / "c"
    folder.mkdir()
    data = str(folder)
    if case == "empty":
        (folder / "empty.txt").write_text("")
    elif case == "binary":
        (folder / "blob.txt").write_bytes(bytes(range(256)))
    elif case == "short":
        (folder / "short.txt").write_text("a tiny text\n")
    elif case == "missing":
        data = str(tmp_path / "nowhere")
    else:
        data = "builtin:nope"
    result = train(Path(data) if case != "builtin" else data, tmp_path / "run", 2)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "run" / "checkpoints").exists()


def test_bad_generation_requests_are_one_line_and_exit_2(corpus, tmp_path):
    out = tmp_path / "run"
    assert train(corpus, out, 2).exit_code == 0
    field = tmp_path / "field"
    from artforge.image.field.model import FieldModel
    from tests.conftest import TINY_FIELD

    FieldModel.from_config(TINY_FIELD).save(field)
    cases = [
        (["--model", str(out), "--prompt", "Zebra"], "never saw"),
        (["--model", str(field)], "holds a 'field' model, not a 'gpt' one"),
        (["--model", str(out), "--form", "jueju5", "--prompt", "Thou"], "does not fit the form"),
        (["--model", str(out), "--form", "lines"], "--form lines needs --lines N"),
    ]
    for args, message in cases:
        result = run("text", "generate", *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)


def test_fine_tune_a_hugging_face_folder(corpus, tmp_path):
    from transformers import GPT2Config, GPT2LMHeadModel

    from artforge.text.tokenizer import TextTokenizer

    tokenizer = TextTokenizer.train([ENGLISH], "char")  # knows no Chinese: those are added
    hf = GPT2LMHeadModel(GPT2Config(vocab_size=tokenizer.vocab_size, n_positions=16, n_embd=16,
                                    n_layer=1, n_head=2))
    hf.save_pretrained(tmp_path / "gpt2")
    for name, data in tokenizer.files().items():
        (tmp_path / "gpt2" / name).write_bytes(data)
    result = train(corpus, tmp_path / "tuned", 2, "--init-from", str(tmp_path / "gpt2"))
    assert result.exit_code == 0, result.output
    tuned = GPTModel.load(tmp_path / "tuned")
    added = len(set(VERSE) - set(ENGLISH))
    assert tuned.config.n_layer == 1
    assert tuned.tokenizer.vocab_size == tokenizer.vocab_size + added
    before = {k: v for k, v in hf.state_dict().items() if k == "transformer.wte.weight"}
    assert not torch.equal(before["transformer.wte.weight"], tuned.net.transformer.wte.weight)


def test_export_hf_writes_a_folder_transformers_loads_with_the_same_logits(corpus, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    assert train(corpus, tmp_path / "run", 1).exit_code == 0
    result = run("text", "export-hf", "--model", str(tmp_path / "run"), "--out",
                 str(tmp_path / "hf"))
    assert result.exit_code == 0, result.output
    ours = GPTModel.load(tmp_path / "run").eval()
    theirs = AutoModelForCausalLM.from_pretrained(tmp_path / "hf").eval()
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "hf")
    text = "床前明月光，Thou art"
    ids = tokenizer(text, return_tensors="pt").input_ids
    assert ids[0].tolist() == ours.tokenizer.encode(text)
    with torch.no_grad():
        assert torch.allclose(theirs(ids).logits, ours(ids), atol=1e-5)
    again = run("text", "export-hf", "--model", str(tmp_path / "run"), "--out",
                str(tmp_path / "hf"))
    assert again.exit_code == 2 and "is not empty" in again.output
