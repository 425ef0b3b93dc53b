"""The six fast styles artforge ships (builtin:starry-night ...): each is a johnson folder for
one built-in painting that loads by name and paints any size through PyTorch and ONNX alike;
the command line stylises and fine-tunes with them by name, and refuses a name it does not
know. What the pictures look like is the benchmarks' business, not these tests'."""

import json

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from artforge.catalog.records import list_works
from artforge.catalog.reproduce import reproduce
from artforge.cli import app
from artforge.core import checkpoint
from artforge.style import onnx_run
from artforge.style.fast_model import FastStyleModel
from artforge.style.onnx_cache import cached_onnx
from artforge.style.stylize import load_style_model, style_model_folder
from artforge.style.works import to_numpy
from tests.style.test_builtin_adain import refused_train

PAINTINGS = {"builtin:starry-night": "van-gogh-starry-night",
             "builtin:great-wave": "hokusai-great-wave",
             "builtin:composition-viii": "kandinsky-composition-viii",
             "builtin:auvers": "van-gogh-village-street-auvers",
             "builtin:moulin": "renoir-moulin-de-la-galette",
             "builtin:summertime": "cassatt-summertime"}
"""Each shipped fast style and the built-in painting it learned."""


def run(*args: str):
    return CliRunner().invoke(app, ["style", *args], catch_exceptions=False)


@pytest.mark.parametrize("name", PAINTINGS)
def test_each_fast_style_paints_any_size_alike_through_torch_and_onnx(name):
    model, folder = load_style_model(name, "cpu")
    assert isinstance(model, FastStyleModel) and folder == style_model_folder(name)
    assert model.config.style == f"builtin:paintings/{PAINTINGS[name]}"
    assert model.style_picture is not None and (folder / "card.md").is_file()
    photo = torch.rand(1, 3, 30, 45, generator=torch.Generator().manual_seed(0))
    made = model.stylize(photo)
    assert made.shape == (1, 3, 30, 45) and 0 < float(made.min()) <= float(made.max()) < 1
    assert float((made - photo).abs().mean()) > 0.01  # it paints, not copies
    exported, path = cached_onnx(name)
    assert exported == folder
    session, meta = onnx_run.load_session(path)
    assert meta["artforge_kind"] == "johnson"
    by_onnx = onnx_run.stylize_array(session, meta, to_numpy(photo))
    assert by_onnx.shape == (30, 45, 3)
    assert np.abs(by_onnx - to_numpy(made)).max() < 1e-3


def test_stylize_by_name_records_the_name_and_reproduces(pictures, tmp_path):
    done = run("stylize", "--model", "builtin:great-wave", "--in", str(pictures["content"]),
               "--out", str(tmp_path / "wave.png"))  # the default engine: ONNX
    assert done.exit_code == 0, done.output
    work = list_works(medium="style")[0]
    assert work["params"]["builtin_model"] == "builtin:great-wave"
    assert work["params"]["engine"] == "onnx"
    assert reproduce(work["id"], tmp_path / "again.png")["identical"]


def test_a_fast_style_paints_a_video_recorded_by_name(clip, tmp_path):
    done = run("video", "--model", "builtin:moulin", "--in", str(clip), "--size", "32",
               "--max-frames", "2", "--out", str(tmp_path / "moulin.mp4"), "--device", "cpu")
    assert done.exit_code == 0, done.output
    assert list_works(medium="video")[0]["params"]["model"] == "builtin:moulin"


@pytest.mark.parametrize("args, message", [
    (["stylize", "--model", "builtin:no-such", "--in", "{content}", "--out", "{out}.png"],
     "error: there is no built-in style model builtin:no-such; the built-in ones are "
     "builtin:adain, builtin:starry-night, builtin:great-wave"),
    (["video", "--model", "builtin:no-such", "--in", "{content}", "--out", "{out}.mp4"],
     "error: there is no built-in style model builtin:no-such"),
    (["stylize", "--model", "builtin:starry-night", "--style", "{content}", "--in",
      "{content}", "--out", "{out}.png"],
     "error: a johnson model paints the one style it learned; --style is for adain and "
     "instant models."),
])
def test_a_bad_fast_style_request_is_one_line_exit_2_and_writes_nothing(args, message,
                                                                        pictures, tmp_path):
    out = tmp_path / "out"
    done = run(*[a.format(content=pictures["content"], out=out) for a in args])
    assert done.exit_code == 2 and done.output.startswith(message), done.output
    assert len(done.output.strip().splitlines()) == 1
    assert list(tmp_path.glob("out*")) == []


def test_init_from_fine_tunes_a_shipped_fast_style_for_another_picture(pictures, tmp_path):
    done = run("train", "--style", str(pictures["style"]), "--init-from",
               "builtin:starry-night", "--size", "32", "--count", "2", "--steps", "1",
               "--out", str(tmp_path / "run"), "--device", "cpu", "--no-amp")
    assert done.exit_code == 0, done.output
    [logged] = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").open()]
    assert logged["lr"] == 1e-3  # a new optimiser at the johnson recipe's rate
    [saved] = (tmp_path / "run" / "checkpoints").iterdir()
    source = style_model_folder("builtin:starry-night")
    header, shipped_header = checkpoint.read_header(saved), checkpoint.read_header(source)
    config = header["config"]
    assert config["init_from"] == "builtin:starry-night"  # where it started, in its config
    assert config["style"] == str(pictures["style"])
    for kept in ("channels", "res_blocks", "style_layers", "style_size"):
        assert config[kept] == shipped_header["config"][kept], kept
    tuned, _ = load_style_model(saved, "cpu")
    assert tuned.style_picture.size == (32, 32)  # the new style picture, not the painting's
    start, after = checkpoint.read_weights(source), checkpoint.read_weights(saved)
    assert after.keys() == start.keys()
    # One Adam step moves each weight by about the learning rate at most.
    moved = max(float((after[k] - start[k].float()).abs().max()) for k in start)
    assert 0 < moved < 1.5e-3


@pytest.mark.parametrize("extra, message", [
    (["--init-from", "builtin:starry-night", "--channels", "4,8,8"],
     "--init-from keeps the widths and depth of the model it starts from; leave out "
     "--channels."),
    (["--init-from", "builtin:no-such"], "there is no built-in style model builtin:no-such"),
    (["--init-from", "builtin:starry-night", "--resume"],
     "--init-from starts a new run and --resume continues one; give only one of them."),
])
def test_bad_fast_init_from_is_one_line_and_exit_2(extra, message, pictures, tmp_path):
    refused_train(extra, message, pictures, tmp_path)
