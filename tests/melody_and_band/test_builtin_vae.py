"""The melody VAEs artforge ships (builtin:bach-melody, 2 bars; builtin:bach-melody-16, 16 bars
built on it): they load by name, give held-out chorale melodies back far better than the same
networks untrained, and interpolate two melodies from the command line with no training."""

from importlib import resources
from pathlib import Path

import pytest
import symusic
import torch
from click.testing import CliRunner

from artforge.catalog.provenance import read_midi_provenance
from artforge.cli import app
from artforge.music.vae.data import melody_windows
from artforge.music.vae.demo import long_sopranos, make_demo_blend
from artforge.music.vae.metrics import reconstruction
from artforge.music.vae.model import MelodyVAE
from artforge.music.vae.pipeline import load_vae

VALIDATION = Path(str(resources.files("artforge.assets") / "bach" / "validation"))


def held_out(bars: int, every: int) -> torch.Tensor:
    """Every `every`th window (one bar apart, so they overlap) of all four voices of the
    chorales held out from the models' training."""
    windows, _ = melody_windows(sorted(VALIDATION.glob("*.mid")), bars)
    return windows[::every]


def test_both_load_by_name_and_the_long_one_is_built_on_the_short_one():
    short, short_folder = load_vae("builtin:bach-melody")
    long, long_folder = load_vae("builtin:bach-melody-16")
    assert (short_folder / "card.md").is_file() and (long_folder / "card.md").is_file()
    assert (short.config.bars, short.config.latent) == (2, 64)
    assert (long.config.bars, long.config.phrase_bars, long.config.latent) == (16, 2, 256)
    assert long.config.phrase_source == "builtin:bach-melody"
    # The long model reads and writes phrases with the short model's own (frozen) networks.
    for mine, theirs in ((long.encoder.phrase, short.encoder),
                         (long.decoder.steps, short.decoder.steps)):
        for key, value in theirs.state_dict().items():
            assert torch.equal(mine.state_dict()[key], value), key


@pytest.mark.parametrize("name, bars, every, least", [
    ("builtin:bach-melody", 2, 48, 0.55),
    ("builtin:bach-melody-16", 16, 8, 0.5),
])
def test_held_out_melodies_come_back_unlike_from_the_untrained_networks(name, bars, every,
                                                                         least):
    model, _ = load_vae(name)
    windows = held_out(bars, every)
    assert len(windows) > 40
    found = reconstruction(model, windows)
    torch.manual_seed(0)
    untrained = MelodyVAE.from_config(model.config).eval()
    if model.config.phrased:  # untrained above the phrases, the shipped short model below
        untrained.load_state_dict({**untrained.state_dict(), **{
            key: value for key, value in model.state_dict().items()
            if key.startswith(("encoder.phrase.", "decoder.steps."))}})
    baseline = reconstruction(untrained, windows)
    assert found["greedy_event_accuracy"] >= least
    assert found["greedy_event_accuracy"] > 3 * baseline["greedy_event_accuracy"]


def test_interpolating_two_chorales_from_the_command_line(tmp_path):
    out = tmp_path / "morph.mid"
    done = CliRunner().invoke(app, [
        "music", "vae", "interpolate", "--model", "builtin:bach-melody-16",
        str(VALIDATION / "bwv128_5.mid"), str(VALIDATION / "bwv358.mid"), "--steps", "8",
        "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert symusic.Score(out).end() <= 8 * 16 * 4 * 480
    assert out.with_suffix(".png").is_file() and out.with_suffix(".wav").is_file()
    assert read_midi_provenance(out)["params"]["steps"] == 8


def test_an_unknown_builtin_melody_model_is_one_line_and_exit_2(tmp_path):
    done = CliRunner().invoke(app, ["music", "vae", "sample", "--model", "builtin:nope",
                                    "--out", str(tmp_path / "x.mid")])
    assert done.exit_code == 2
    assert done.output == ("error: there is no built-in melody model builtin:nope; the "
                           "built-in ones are builtin:bach-melody, builtin:bach-melody-16.\n")
    assert not (tmp_path / "x.mid").exists()


def test_the_demo_blends_two_test_chorales_with_the_shipped_model(tmp_path):
    works = make_demo_blend(tmp_path, seed=0, device="cpu")
    assert [w.kind for w in works] == ["audio", "image"]
    assert all(w.path.is_file() for w in works)
    a, b = long_sopranos(0)
    assert a != b and all(name.stem.replace("_", ".") in works[0].caption for name in (a, b))
    assert works[0].provenance["pipeline"] == "music.vae.interpolate"
    assert works[0].provenance["params"]["steps"] == 8
