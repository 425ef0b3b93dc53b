"""`builtin:adain`, the decoder artforge ships: it loads from the package, inverts VGG features
well enough to give a photo back, follows the style it is given, works from the command line
(reproducibly), and fine-tunes with --init-from."""

import json

import pytest
import torch
import torch.nn.functional as F
from click.testing import CliRunner
from safetensors.torch import load_file

from artforge.cli import app
from artforge.data.pictures import open_picture
from artforge.style.adain_model import ENCODER_LAYERS, AdaINConfig, AdaINModel
from artforge.style.losses import mean_std
from artforge.style.stylize import load_style_model, style_model_folder
from artforge.style.works import to_tensor

STYLES = ("hokusai-great-wave", "van-gogh-starry-night", "kandinsky-composition-viii")


def run(*args: str):
    return CliRunner().invoke(app, ["style", *args], catch_exceptions=False)


def small(spec: str, side: int = 96) -> torch.Tensor:
    picture = to_tensor(open_picture(spec, what="picture"))
    return F.interpolate(picture, size=(side, side), mode="area")


def statistics_distance(model: AdaINModel, made: torch.Tensor, style: torch.Tensor) -> float:
    """The paper's style loss: squared differences of VGG channel means and spreads."""
    found, wanted = model.encoder(made), model.encoder(style)
    total = 0.0
    for layer in ENCODER_LAYERS:
        (mean, std), (style_mean, style_std) = mean_std(found[layer]), mean_std(wanted[layer])
        total += float(F.mse_loss(mean, style_mean) + F.mse_loss(std, style_std))
    return total


def test_the_shipped_decoder_loads_by_name_at_the_papers_size():
    model, folder = load_style_model("builtin:adain")
    assert folder == style_model_folder("builtin:adain") and (folder / "card.md").is_file()
    assert isinstance(model, AdaINModel) and model.config.layer == "relu4_1"
    assert model.config.width == 1.0 and model.divisor == 8
    assert sum(p.numel() for p in model.decoder.parameters()) == 3_505_219


def test_it_gives_a_photo_back_and_follows_each_style_unlike_an_untrained_decoder():
    torch.manual_seed(0)
    trained, _ = load_style_model("builtin:adain")
    untrained = AdaINModel.from_config(AdaINConfig()).eval()
    photo = small("builtin:coffee")
    styles = [small(f"builtin:{name}") for name in STYLES]

    def check(model: AdaINModel) -> tuple[float, list[bool]]:
        with torch.no_grad():
            back = model.stylize(photo, [photo], alpha=0.0)
            made = [model.stylize(photo, [style]) for style in styles]
            # Of the three pictures, the one made with style j is nearest style j's statistics.
            nearest = [min(range(len(made)), key=lambda i: statistics_distance(
                model, made[i], style)) == j for j, style in enumerate(styles)]
        return float((back - photo).abs().mean()), nearest

    error, nearest = check(trained)
    assert error < 0.25 and nearest == [True, True, True]
    error, nearest = check(untrained)
    assert error > 0.3 and nearest != [True, True, True]


def test_stylize_with_the_builtin_decoder_from_the_command_line_is_reproducible(pictures,
                                                                                tmp_path):
    from artforge.catalog.records import list_works
    from artforge.catalog.reproduce import reproduce

    done = run("stylize", "--model", "builtin:adain", "--in", str(pictures["content"]),
               "--style", "builtin:hokusai-great-wave", "--alpha", "0.7", "--out",
               str(tmp_path / "w.png"), "--device", "cpu")
    assert done.exit_code == 0, done.output
    work = list_works(medium="style")[0]
    assert work["params"]["builtin_model"] == "builtin:adain"
    assert reproduce(work["id"], tmp_path / "again.png")["identical"]


def test_an_unknown_builtin_model_is_one_line_and_exit_2(pictures, tmp_path):
    done = run("stylize", "--model", "builtin:nope", "--in", str(pictures["content"]),
               "--style", str(pictures["style"]), "--out", str(tmp_path / "x.png"))
    assert done.exit_code == 2
    assert done.output == ("error: there is no built-in style model builtin:nope; the built-in "
                           "ones are builtin:adain, builtin:starry-night, builtin:great-wave, "
                           "builtin:composition-viii, builtin:auvers, builtin:moulin, "
                           "builtin:summertime.\n")
    assert not (tmp_path / "x.png").exists()


def test_init_from_fine_tunes_the_builtin_decoder_with_the_papers_learning_rate(tmp_path):
    done = run("train", "--method", "adain", "--style", "builtin:paintings", "--init-from",
               "builtin:adain", "--size", "32", "--count", "2", "--steps", "1", "--out",
               str(tmp_path / "run"), "--device", "cpu", "--no-amp")
    assert done.exit_code == 0, done.output
    [logged] = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").open()]
    assert logged["lr"] == 1e-4
    start = load_file(style_model_folder("builtin:adain") / "model.safetensors")
    [saved] = (tmp_path / "run" / "checkpoints").iterdir()
    after = load_file(saved / "model.safetensors")
    card = (saved / "card.md").read_text()
    assert '"amp": false' in card  # --no-amp reached the Trainer
    assert '"init_from": "builtin:adain"' in card  # where it started, in its config
    assert after.keys() == start.keys()
    # One Adam step moves each weight by about the learning rate at most.
    moved = max(float((after[k] - start[k].float()).abs().max()) for k in start)
    assert 0 < moved < 1.5e-4


@pytest.mark.parametrize("extra, message", [
    (["--method", "adain", "--init-from", "builtin:adain", "--layer", "relu3_1"],
     "--init-from keeps its decoder's --layer and --width; leave them out."),
    (["--init-from", "builtin:adain"],
     "--init-from builtin:adain holds a 'adain' model, not a johnson (fast style) network."),
    (["--method", "adain", "--init-from", "builtin:starry-night"],
     "--init-from builtin:starry-night is a johnson model, not an adain decoder."),
    (["--method", "adain", "--init-from", "builtin:nope"],
     "there is no built-in style model builtin:nope"),
    (["--method", "adain", "--init-from", "builtin:adain", "--resume"],
     "--init-from starts a new run and --resume continues one; give only one of them."),
])
def test_bad_init_from_is_one_line_and_exit_2(extra, message, pictures, tmp_path):
    refused_train(extra, message, pictures, tmp_path)


def test_init_from_a_model_of_another_kind_is_one_line_and_exit_2(pictures, tmp_path):
    from artforge.core import checkpoint
    from artforge.image.gan.architectures import DCGANModel
    from tests.image.conftest import TINY_GAN

    gan = checkpoint.save(DCGANModel.from_config(TINY_GAN), tmp_path / "gan")
    refused_train(["--method", "adain", "--init-from", str(gan)],
                  "holds a 'dcgan' model, not a style network (johnson, adain or instant).",
                  pictures, tmp_path)


def refused_train(extra: list[str], message: str, pictures, tmp_path) -> None:
    done = run("train", "--style", str(pictures["style"]), "--out", str(tmp_path / "run"),
               "--steps", "1", "--size", "32", "--count", "2", "--device", "cpu", *extra)
    assert done.exit_code == 2 and message in done.output
    assert len(done.output.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()
