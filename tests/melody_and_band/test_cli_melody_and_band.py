"""`artforge music vae ...` and `artforge music band ...` end to end: MIDI + WAV + PNG with
provenance, catalogued and reproducible, and bad input as one line with exit code 2."""

import pytest
import symusic
import torch
from click.testing import CliRunner

from artforge.catalog import records
from artforge.catalog.provenance import read_midi_provenance, read_png_provenance
from artforge.catalog.reproduce import reproduce
from artforge.cli import app
from tests.melody_and_band.fixtures import write_chorales, write_melody
from tests.music.fixtures import drum_score, write_song_folder

TUNE_A = [60, 62, 64, 65, 67, 65, 64, 62]
TUNE_B = [72, 71, 69, 67, 65, 64, 62, 60]


def invoke(*args: str):
    return CliRunner().invoke(app, ["music", *args])


@pytest.fixture(scope="module")
def vae_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("vae")
    songs = write_song_folder(root / "songs", 6)
    done = invoke("vae", "train", "--data", str(songs), "--out", str(root / "run"),
                  "--latent", "4", "--hidden", "8", "--steps", "3", "--batch-size", "4",
                  "--device", "cpu")
    assert done.exit_code == 0, done.output
    write_melody(root / "a.mid", TUNE_A)
    write_melody(root / "b.mid", TUNE_B)
    return root, done.output


def test_vae_train_reports_data_and_held_out_metrics(vae_run):
    _, output = vae_run
    assert "skipped drums.mid: only drum tracks" in output
    assert "Trained to step 3 (steps)" in output
    assert "training and 0 held-out melody windows; 3 files skipped" in output


def test_16_bar_training_uses_the_bar_encoder_and_word_dropout(tmp_path):
    from artforge.core import checkpoint

    for index in range(2):
        write_melody(tmp_path / "songs" / f"long{index}.mid", (TUNE_A + TUNE_B) * 4)
    done = invoke("vae", "train", "--data", str(tmp_path / "songs"), "--bars", "16",
                  "--out", str(tmp_path / "run"), "--latent", "4", "--hidden", "8",
                  "--steps", "1", "--batch-size", "2", "--device", "cpu")
    assert done.exit_code == 0, done.output
    config = checkpoint.load(tmp_path / "run").config
    assert config.bar_encoder and config.input_dropout == 0.3 and config.bars == 16


def test_16_bar_model_built_on_a_2_bar_run(vae_run, tmp_path):
    from artforge.core import checkpoint

    root, _ = vae_run
    for index in range(2):
        write_melody(tmp_path / "songs" / f"long{index}.mid", (TUNE_A + TUNE_B) * 4)
    done = invoke("vae", "train", "--data", str(tmp_path / "songs"), "--bars", "16",
                  "--phrases", str(root / "run"), "--out", str(tmp_path / "run"),
                  "--latent", "6", "--hidden", "8", "--steps", "2", "--batch-size", "2",
                  "--device", "cpu")
    assert done.exit_code == 0, done.output
    short, long = checkpoint.load(root / "run"), checkpoint.load(tmp_path / "run")
    config = long.config
    assert (config.bars, config.phrase_bars, config.phrase_latent, config.latent,
            config.free_bits, config.phrase_source) == (16, 2, 4, 6, 256.0, str(root / "run"))
    # The phrase level is the 2-bar run's, unchanged by training.
    for name, weight in short.encoder.state_dict().items():
        assert torch.equal(long.encoder.phrase.state_dict()[name], weight), name
    for name, weight in short.decoder.steps.state_dict().items():
        assert torch.equal(long.decoder.steps.state_dict()[name], weight), name
    # A resume needs no --phrases: the run holds its phrase level.
    done = invoke("vae", "train", "--data", str(tmp_path / "songs"), "--bars", "16",
                  "--out", str(tmp_path / "run"), "--resume", "--steps", "4", "--device", "cpu")
    assert done.exit_code == 0 and "Trained to step 4 (steps)" in done.output, done.output
    assert checkpoint.load(tmp_path / "run").config.phrase_bars == 2


@pytest.mark.parametrize("bars,phrases,message", [
    ("2", "run", "--phrases builds a 16-bar model: give --bars 16 with it.\n"),
    ("16", "long", "--phrases must be a 1- or 2-bar VAE with codes, not a 16-bar one.\n")])
def test_bad_phrases_exit_2(vae_run, tmp_path, bars, phrases, message):
    root, _ = vae_run
    if phrases == "long":
        write_melody(tmp_path / "songs" / "long.mid", (TUNE_A + TUNE_B) * 4)
        assert invoke("vae", "train", "--data", str(tmp_path / "songs"), "--bars", "16",
                      "--out", str(tmp_path / "long"), "--latent", "4", "--hidden", "8",
                      "--steps", "1", "--device", "cpu").exit_code == 0
    source = root / "run" if phrases == "run" else tmp_path / "long"
    done = invoke("vae", "train", "--data", str(root / "songs"), "--bars", bars,
                  "--phrases", str(source), "--out", str(tmp_path / "new"), "--steps", "1")
    assert done.exit_code == 2 and done.output.endswith(message), done.output
    assert not (tmp_path / "new").exists()


def test_interpolate_writes_steps_in_sequence_with_provenance(vae_run, tmp_path):
    root, _ = vae_run
    out = tmp_path / "morph.mid"
    done = invoke("vae", "interpolate", "--model", str(root / "run"), str(root / "a.mid"),
                  str(root / "b.mid"), "--steps", "3", "--out", str(out))
    assert done.exit_code == 0, done.output
    assert out.with_suffix(".wav").stat().st_size > 44
    assert read_midi_provenance(out)["params"]["steps"] == 3
    assert read_png_provenance(out.with_suffix(".png"))["pipeline"] == "music.vae.interpolate"
    assert symusic.Score(out).end() <= 3 * 2 * 4 * 480
    works = records.list_works(medium="music")
    again = reproduce(works[0]["id"], out=tmp_path / "again.mid")
    assert again["identical"] and not again["model_changed"]
    png = records.list_works(medium="image")[0]
    assert reproduce(png["id"], out=tmp_path / "again.png")["identical"]


def test_sample_and_attribute(vae_run, tmp_path):
    root, _ = vae_run
    done = invoke("vae", "sample", "--model", str(root / "run"), "--count", "2",
                  "--out", str(tmp_path / "s.mid"), "--seed", "4")
    assert done.exit_code == 0, done.output
    done = invoke("vae", "attribute", "--model", str(root / "run"), "--attribute", "range",
                  "--strength", "2", "--melody", str(root / "a.mid"), "--data",
                  str(root / "songs"), "--out", str(tmp_path / "wide.mid"))
    assert done.exit_code == 0, done.output
    assert "range:" in done.output and (tmp_path / "wide.png").is_file()


def test_interpolate_bars_from_the_command_line(vae_run, tmp_path):
    root, _ = vae_run
    args = ["vae", "interpolate", "--model", str(root / "run"), str(root / "a.mid"),
            str(root / "b.mid"), "--steps", "2"]
    done = invoke(*args, "--bars", "0", "--out", str(tmp_path / "whole.mid"))
    assert done.exit_code == 0, done.output  # both tunes are 2 bars: the model's length
    assert read_midi_provenance(tmp_path / "whole.mid")["params"]["bars"] == 2
    done = invoke(*args, "--bars", "3", "--out", str(tmp_path / "odd.mid"))
    assert done.exit_code == 2
    assert done.output == ("error: --bars must be a multiple of the model's 2 bars, up to 64, "
                           "or 0 (as long as both melodies go), not 3.\n")
    assert not list(tmp_path.glob("odd.*"))


@pytest.mark.parametrize("make,message", [
    (lambda path: drum_score().dump_midi(path), "has no melody to use: only drum tracks"),
    (lambda path: write_melody(path, [60, 62, 64, 65]), "has 1.0 bars of melody"),
    (lambda path: path.write_bytes(b"not midi"), "has no melody to use: not a readable MIDI")])
def test_bad_melodies_exit_2_and_write_nothing(vae_run, tmp_path, make, message):
    root, _ = vae_run
    bad = tmp_path / "bad.mid"
    make(bad)
    out = tmp_path / "out.mid"
    done = invoke("vae", "interpolate", "--model", str(root / "run"), str(root / "a.mid"),
                  str(bad), "--out", str(out))
    assert done.exit_code == 2 and message in done.output
    assert not list(tmp_path.glob("out.*"))


@pytest.fixture(scope="module")
def band_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("band")
    songs = write_chorales(root / "songs", 3)
    done = invoke("band", "train", "--data", str(songs), "--out", str(root / "run"),
                  "--width", "16", "--layers", "1", "--steps", "2", "--batch-size", "4",
                  "--device", "cpu")
    assert done.exit_code == 0, done.output
    write_melody(root / "tune.mid", TUNE_A * 2)
    return root, done.output


def test_band_accompanies_a_melody_with_the_chosen_tracks(band_run, tmp_path):
    root, output = band_run
    assert "10 training and 5 held-out passages" in output
    out = tmp_path / "duo.mid"
    done = invoke("band", "accompany", "--model", str(root / "run"), str(root / "tune.mid"),
                  "--tracks", "bass", "--out", str(out), "--seed", "2")
    assert done.exit_code == 0, done.output
    score = symusic.Score(out)
    assert [t.name for t in score.tracks] == ["Soprano", "Bass"]
    assert [n.pitch for n in score.tracks[0].notes] == TUNE_A * 2
    work = records.list_works(medium="music")[0]
    assert work["pipeline"] == "music.band.accompany"
    assert reproduce(work["id"], out=tmp_path / "again.mid")["identical"]


def test_the_band_stops_with_the_melody(band_run, tmp_path):
    root, _ = band_run
    tune = write_melody(tmp_path / "six-bars.mid", TUNE_A * 3)  # 24 quarters: 6 bars
    out = tmp_path / "band.mid"
    done = invoke("band", "accompany", "--model", str(root / "run"), str(tune),
                  "--out", str(out), "--seed", "1")
    assert done.exit_code == 0, done.output
    score = symusic.Score(out)
    ends = [n.end for t in score.tracks[1:] for n in t.notes]
    assert ends and max(ends) <= 24 * score.ticks_per_quarter
    assert max(n.end for n in score.tracks[0].notes) == 24 * score.ticks_per_quarter


def test_band_generate(band_run, tmp_path):
    root, _ = band_run
    done = invoke("band", "generate", "--model", str(root / "run"), "--count", "1",
                  "--out", str(tmp_path / "g.mid"))
    assert done.exit_code == 0, done.output
    assert len(symusic.Score(tmp_path / "g.mid").tracks) == 4


@pytest.mark.parametrize("args,message", [
    (["--tracks", "drums"], "the model has no track 'drums'; its tracks are soprano, alto"),
    (["--temperature", "0"], "Invalid value for '--temperature'"),
    (["--key", "H major"], "--key must be auto or a key such as 'C major'"),
    (["--harmony", "jazz"], "Invalid value for '--harmony'")])
def test_band_bad_options_exit_2(band_run, tmp_path, args, message):
    root, _ = band_run
    done = invoke("band", "accompany", "--model", str(root / "run"), str(root / "tune.mid"),
                  "--out", str(tmp_path / "x.mid"), *args)
    assert done.exit_code == 2 and message in done.output
    assert not list(tmp_path.glob("x.*"))


def test_a_vae_is_not_a_band(vae_run, band_run, tmp_path):
    done = invoke("band", "generate", "--model", str(vae_run[0] / "run"),
                  "--out", str(tmp_path / "x.mid"))
    assert done.exit_code == 2 and "not a band model" in done.output


def test_band_fine_tuning_from_the_command_line(band_run, tmp_path):
    root, _ = band_run
    done = invoke("band", "train", "--data", str(root / "songs"), "--out", str(tmp_path / "ok"),
                  "--init-from", str(root / "run"), "--steps", "1", "--batch-size", "4",
                  "--device", "cpu")
    assert done.exit_code == 0, done.output
    # A model of another medium, or a shipped one that makes something else: one sentence,
    # exit 2, nothing written.
    melody = tmp_path / "melody-model"
    from artforge.core import checkpoint
    from artforge.music.model import LSTMMusicModel, MusicConfig

    checkpoint.save(LSTMMusicModel.from_config(MusicConfig(vocab_size=20, embed=4, hidden=8,
                                                           layers=1, context=16)), melody)
    for source, message in ((str(melody), "holds a 'lstm' model, not a band model"),
                            ("builtin:bach", "there is no built-in band model builtin:bach")):
        done = invoke("band", "train", "--data", str(root / "songs"), "--init-from", source,
                      "--out", str(tmp_path / "bad"), "--steps", "1", "--device", "cpu")
        assert done.exit_code == 2 and done.output.count("\n") == 1, done.output
        assert message in done.output
        assert not (tmp_path / "bad").exists()
