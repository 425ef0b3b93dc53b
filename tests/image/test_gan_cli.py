"""`artforge image gan train | sample` end to end, on the tiniest networks."""

import os
import signal
import subprocess
import sys

from click.testing import CliRunner
from PIL import Image

from artforge.catalog import records
from artforge.catalog.provenance import read_png_provenance
from artforge.catalog.reproduce import reproduce
from artforge.cli import app
from artforge.core import checkpoint
from artforge.image.gan.model import GANModel
from tests.core.test_kill_resume import wait_for

TINY = ["--size", "16", "--channels", "4", "--batch-size", "4", "--count", "8",
        "--device", "cpu"]


def train_args(run, *extra):
    return ["image", "gan", "train", "--data", "builtin:abstract", "--out", str(run), *TINY,
            *extra]


def test_train_sample_and_reproduce(tmp_path):
    runner = CliRunner()
    run = tmp_path / "run"
    trained = runner.invoke(app, train_args(run, "--steps", "2", "--save-every", "2"))
    assert trained.exit_code == 0, trained.output
    assert "8 images from builtin:abstract" in trained.output
    assert "Trained to step 2 (steps)" in trained.output
    assert Image.open(run / "samples" / "step-00000002.png").size == (8 * 16 + 14,) * 2
    out = tmp_path / "grid.png"
    sampled = runner.invoke(app, ["image", "gan", "sample", "--model", str(run), "--n", "4",
                                  "--seed", "3", "--truncation", "0.7", "--out", str(out)])
    assert sampled.exit_code == 0, sampled.output
    assert Image.open(out).size == (2 * 16 + 2, 2 * 16 + 2)
    provenance = read_png_provenance(out)
    assert provenance["params"] == {"n": 4, "truncation": 0.7} and provenance["seed"] == 3
    work = records.list_works()[0]
    assert work["pipeline"] == "gan.sample"
    assert reproduce(work["id"])["identical"]


def test_interpolation_writes_a_looping_gif(tmp_path):
    runner = CliRunner()
    run = tmp_path / "run"
    assert runner.invoke(app, train_args(run, "--steps", "1")).exit_code == 0
    out = tmp_path / "walk.gif"
    result = runner.invoke(app, ["image", "gan", "sample", "--model", str(run), "--interpolate",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as gif:
        assert gif.n_frames == 4 * 12 and gif.size == (16, 16)
    bad = runner.invoke(app, ["image", "gan", "sample", "--model", str(run), "--interpolate",
                              "--out", str(tmp_path / "walk.png")])
    assert bad.exit_code == 2 and "must end in .gif or .mp4" in bad.output


def test_bad_input_is_one_line_and_writes_nothing(tmp_path):
    runner = CliRunner()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["image", "gan", "train", "--data", str(empty), "--out",
                                 str(tmp_path / "run"), "--size", "16"])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {empty} has no images (jpg, png, webp or bmp)."
    odd = runner.invoke(app, train_args(tmp_path / "odd", "--size", "48"))
    assert odd.exit_code == 2 and "power of two" in odd.output
    assert not (tmp_path / "run").exists() and not (tmp_path / "odd").exists()
    mix = runner.invoke(app, train_args(tmp_path / "dc", "--steps", "1"))
    assert mix.exit_code == 0
    refused = runner.invoke(app, ["image", "gan", "sample", "--model", str(tmp_path / "dc"),
                                  "--mix", "--out", str(tmp_path / "mix.png")])
    assert refused.exit_code == 2 and "style mixing needs a stylegan" in refused.output


def test_kill_9_then_resume_through_the_cli(tmp_path):
    run = tmp_path / "run"
    command = [sys.executable, "-m", "artforge", *train_args(run, "--save-every", "2")]
    process = subprocess.Popen([*command, "--steps", "100000"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    wait_for(lambda: (checkpoint.latest_checkpoint(run) or run / "step-0").name
             >= "step-00000004", process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    saved = int(checkpoint.latest_checkpoint(run).name.removeprefix("step-"))
    assert saved >= 4 and isinstance(checkpoint.load(run), GANModel)  # loadable after the kill
    finish = saved + 3
    done = subprocess.run([*command, "--steps", str(finish), "--resume"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"Trained to step {finish} (steps)" in done.stdout
    assert (run / "samples" / f"step-{finish:08d}.png").is_file()
    assert [r["status"] for r in records.list_runs()] == ["steps", "interrupted"]


def test_the_command_line_defaults_are_the_library_recipe():
    from artforge.cli import gan as gan_cli
    from artforge.image.gan.model import GANConfig
    from artforge.image.gan.train import GAN_TRAIN_DEFAULTS

    assert GANConfig().channels == gan_cli.DEFAULT_CHANNELS
    assert tuple(gan_cli.DEFAULT_AUGMENT.split(",")) == GANConfig().augment
    assert GAN_TRAIN_DEFAULTS["batch_size"] == gan_cli.DEFAULT_BATCH
    assert GAN_TRAIN_DEFAULTS["lr"] == gan_cli.DEFAULT_LR
