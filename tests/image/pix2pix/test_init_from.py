"""`image pix2pix train --init-from`: a new run that starts from a trained model's generator
and discriminator, with its kind, networks (colour hints included) and losses."""

import json

import pytest
import torch
from click.testing import CliRunner

from artforge.catalog import records
from artforge.cli import app
from artforge.core import checkpoint
from artforge.image.gan.train import gan_class
from artforge.image.pix2pix.train import pix2pix_train_config, train_pix2pix, translation_class
from artforge.image.sketch.methods import SketchConfig
from tests.image.conftest import TINY_GAN, assert_one_step_from
from tests.image.pix2pix.conftest import TINY_HD, TINY_PIX2PIX

CONFIGS = {"pix2pix": TINY_PIX2PIX, "pix2pixhd": TINY_HD}
LR = 1e-4


def saved_painter(folder, arch: str = "pix2pix", **changes):
    """A seeded, untrained translation model saved as a model folder."""
    torch.manual_seed(1)
    model = translation_class(arch).from_config(CONFIGS[arch].replace(**changes))
    return checkpoint.save(model, folder)


def invoke(*args: str):
    return CliRunner().invoke(app, ["image", "pix2pix", "train", *args])


def one_line_error(done, message: str) -> None:
    assert done.exit_code == 2, done.output
    assert done.output == f"error: {message}\n"


@pytest.mark.parametrize("arch", ["pix2pix", "pix2pixhd"])
def test_one_step_starts_from_both_networks(arch, paired_folder, tmp_path):
    source = saved_painter(tmp_path / "source", arch, hints=False, l1_weight=7.0)
    start = checkpoint.read_weights(source)
    train = pix2pix_train_config(steps=1, batch_size=2, lr=LR, device="cpu", seed=0)
    asked = TINY_PIX2PIX.replace(size=64, hints=True, l1_weight=100.0, holdout=0.5,
                                 sketch=SketchConfig(method="canny"))
    result = train_pix2pix(str(paired_folder), tmp_path / "run", train, "pix2pix", asked,
                           init_from=str(source), catalog=False)
    model = checkpoint.load(result.checkpoint)
    # The kind, networks and losses are the source's; the line art and held-out share the
    # run's; and where the run started is recorded.
    assert model.kind == arch and result.step == 1
    assert (model.config.size, model.config.hints, model.config.l1_weight) == (32, False, 7.0)
    assert (model.config.holdout, model.config.sketch.method) == (0.5, "canny")
    assert model.config.init_from == str(source.resolve())
    # One Adam step at 1e-4 moves each weight by at most 1e-4; a new network is far away.
    torch.manual_seed(0)
    assert_one_step_from(model, start, LR, translation_class(arch).from_config(model.config))


def test_the_command_line_takes_the_models_kind_and_its_learning_rate(paired_folder, tmp_path):
    source = saved_painter(tmp_path / "source", "pix2pixhd")
    run = tmp_path / "run"
    done = invoke("--data", str(paired_folder), "--out", str(run), "--init-from", str(source),
                  "--steps", "1", "--batch-size", "2", "--holdout", "0.25", "--device", "cpu")
    assert done.exit_code == 0, done.output
    assert "Trained to step 1 (steps)" in done.output
    model = checkpoint.load(run)
    assert model.kind == "pix2pixhd" and model.config.init_from == str(source.resolve())
    [logged] = [json.loads(line) for line in (run / "metrics.jsonl").open()]
    assert logged["lr"] == 2e-4  # pix2pixhd's rate, not pix2pix's 1e-3
    assert records.list_runs()[0]["params"]["init_from"] == str(source.resolve())


def test_a_model_of_another_kind_is_one_sentence_and_writes_nothing(paired_folder, tmp_path):
    torch.manual_seed(0)
    gan = checkpoint.save(gan_class("dcgan").from_config(TINY_GAN), tmp_path / "gan")
    run = tmp_path / "run"
    done = invoke("--data", str(paired_folder), "--out", str(run), "--init-from", str(gan))
    one_line_error(done, f"--init-from {gan} holds a 'dcgan' model, not a sketch-to-painting "
                         "model (pix2pix or pix2pixhd).")
    done = invoke("--data", str(paired_folder), "--out", str(run), "--init-from",
                  "builtin:nope")
    one_line_error(done, "there is no built-in painting model builtin:nope; the built-in one "
                         "is builtin:sketch-painting.")
    assert not run.exists()


@pytest.mark.parametrize("extra, message", [
    (["--resume"], "--init-from starts a new run and --resume continues one; give only one of "
                   "them."),
    (["--no-hints"], "--init-from keeps the networks and losses of the model it starts from; "
                     "leave out --no-hints."),
    (["--arch", "pix2pixhd", "--ngf", "8"], "--init-from keeps the networks and losses of the "
                                            "model it starts from; leave out --arch, --ngf."),
])
def test_options_that_contradict_init_from_are_refused(extra, message, paired_folder,
                                                       tmp_path):
    source = saved_painter(tmp_path / "source")
    run = tmp_path / "run"
    done = invoke("--data", str(paired_folder), "--out", str(run), "--init-from", str(source),
                  *extra)
    one_line_error(done, message)
    assert not run.exists()
