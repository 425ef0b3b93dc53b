"""`image gan train --init-from`: a new run that starts from a trained GAN's generator and
discriminator, with its networks and losses, a new optimiser and its own step count."""

import pytest
import torch
from click.testing import CliRunner

from artforge.catalog import records
from artforge.cli import app
from artforge.core import checkpoint
from artforge.image.gan.train import gan_class, gan_train_config, train_gan
from artforge.image.pix2pix.train import translation_class
from tests.image.conftest import TINY_GAN, assert_one_step_from
from tests.image.pix2pix.conftest import TINY_PIX2PIX

LR = 1e-4


def saved_gan(folder, arch: str = "dcgan", **changes):
    """A seeded, untrained GAN saved as a model folder (a stand-in for a trained one)."""
    torch.manual_seed(1)
    return checkpoint.save(gan_class(arch).from_config(TINY_GAN.replace(**changes)), folder)


def invoke(*args: str):
    return CliRunner().invoke(app, ["image", "gan", "train", *args])


def one_line_error(done, message: str) -> None:
    assert done.exit_code == 2, done.output
    assert done.output == f"error: {message}\n"


@pytest.mark.parametrize("arch", ["dcgan", "stylegan", "stylegan-lite", "fastgan"])
def test_one_step_starts_from_both_networks_with_its_own_step_count(arch, picture_folder,
                                                                    tmp_path):
    source = saved_gan(tmp_path / "source", arch, loss="minimax")
    start = checkpoint.read_weights(source)
    train = gan_train_config(steps=1, batch_size=4, lr=LR, device="cpu", seed=0)
    asked = TINY_GAN.replace(augment=("cutout",), size=32, loss="hinge")
    result = train_gan(str(picture_folder), tmp_path / "run", train, "dcgan", asked,
                       init_from=str(source), catalog=False)
    model = checkpoint.load(result.checkpoint)
    assert model.kind == arch and int(model.steps_done) == 1 and result.step == 1
    # The networks and losses are the source's, the augmentation the run's, and it is
    # recorded where the run started.
    assert model.config.size == 16 and model.config.loss == "minimax"
    assert model.config.augment == ("cutout",)
    assert model.config.init_from == str(source.resolve())
    assert f'"init_from": "{source.resolve()}"' in (result.checkpoint / "card.md").read_text()
    # One Adam step at a rate of 1e-4 moves each weight by at most about 1e-4 (less in the
    # average that is saved); an untrained network is nowhere near.
    torch.manual_seed(0)
    assert_one_step_from(model, start, LR, gan_class(arch).from_config(model.config))


def test_a_gan_without_its_discriminator_starts_a_new_one(picture_folder, tmp_path):
    source = saved_gan(tmp_path / "source")
    weights = checkpoint.read_weights(source)
    only_g = {k: v for k, v in weights.items() if not k.startswith("discriminator.")}
    (source / checkpoint.WEIGHTS_FILE).write_bytes(checkpoint.weights_bytes(only_g))
    train = gan_train_config(steps=1, batch_size=4, lr=LR, device="cpu", seed=0)
    result = train_gan(str(picture_folder), tmp_path / "run", train, init_from=str(source),
                       catalog=False)
    after = checkpoint.read_weights(result.checkpoint)
    torch.manual_seed(0)  # the run's seed
    fresh = gan_class("dcgan").from_config(TINY_GAN).state_dict()
    for name in (first_weight(after, "generator."), first_weight(after, "discriminator.")):
        started = weights[name] if name.startswith("generator.") else fresh[name]
        assert torch.allclose(after[name], started, atol=1.01 * LR), name
        assert not torch.equal(weights[name], fresh[name])


def first_weight(weights: dict[str, torch.Tensor], prefix: str) -> str:
    return next(k for k in weights if k.startswith(prefix) and k.endswith("weight"))


def test_the_command_line_starts_from_a_run_folder(picture_folder, tmp_path):
    first = tmp_path / "first"
    trained = invoke("--data", str(picture_folder), "--out", str(first), "--size", "16",
                     "--channels", "4", "--batch-size", "4", "--steps", "1", "--device", "cpu")
    assert trained.exit_code == 0, trained.output
    done = invoke("--data", str(picture_folder), "--out", str(tmp_path / "run"),
                  "--init-from", str(first), "--steps", "1", "--batch-size", "4",
                  "--augment", "none", "--device", "cpu")
    assert done.exit_code == 0, done.output
    assert "Trained to step 1 (steps)" in done.output
    model = checkpoint.load(tmp_path / "run")
    assert model.config.channels == 4 and model.config.size == 16 and model.config.augment == ()
    assert model.config.init_from == str(checkpoint.resolve(first).resolve())
    assert records.list_runs()[0]["params"]["init_from"] == model.config.init_from


def test_a_model_of_another_kind_is_one_sentence_and_writes_nothing(picture_folder, tmp_path):
    painter = checkpoint.save(translation_class("pix2pix").from_config(TINY_PIX2PIX),
                              tmp_path / "painter")
    run = tmp_path / "run"
    done = invoke("--data", str(picture_folder), "--out", str(run), "--init-from", str(painter))
    one_line_error(done, f"--init-from {painter} holds a 'pix2pix' model, not a GAN (dcgan, "
                         "stylegan, stylegan-lite or fastgan).")
    done = invoke("--data", str(picture_folder), "--out", str(run), "--init-from",
                  "builtin:adain")
    one_line_error(done, "there is no built-in GAN model builtin:adain; the built-in ones are "
                         "builtin:abstract-gan, builtin:paintings-gan.")
    assert not run.exists()


@pytest.mark.parametrize("extra, message", [
    (["--resume"], "--init-from starts a new run and --resume continues one; give only one of "
                   "them."),
    (["--size", "32", "--loss", "minimax"], "--init-from keeps the networks and losses of the "
                                            "model it starts from; leave out --size, --loss."),
    (["--arch", "dcgan"], "--init-from keeps the networks and losses of the model it starts "
                          "from; leave out --arch."),
])
def test_options_that_contradict_init_from_are_refused(extra, message, picture_folder,
                                                       tmp_path):
    source = saved_gan(tmp_path / "source")
    run = tmp_path / "run"
    done = invoke("--data", str(picture_folder), "--out", str(run), "--init-from", str(source),
                  *extra)
    one_line_error(done, message)
    assert not run.exists()


def test_runs_of_other_seeds_can_learn_the_same_generated_pictures(tmp_path):
    """builtin:abstract's pictures follow the seed unless data_seed names theirs (the
    benchmark's baselines: several training seeds, seed 0's pictures)."""
    from artforge.data.image_folders import load_image_set

    seen = []
    for seed, data_seed in ((0, None), (1, 0), (1, None)):
        train = gan_train_config(steps=1, batch_size=4, lr=LR, device="cpu", seed=seed)
        train_gan("builtin:abstract", tmp_path / f"run-{seed}-{data_seed}", train, "dcgan",
                  TINY_GAN, count=8, catalog=False, data_seed=data_seed,
                  on_data=lambda images: seen.append(images.images))
    assert torch.equal(seen[0], seen[1]) and not torch.equal(seen[0], seen[2])
    assert torch.equal(seen[0], load_image_set("builtin:abstract", 16, count=8, seed=0).images)
