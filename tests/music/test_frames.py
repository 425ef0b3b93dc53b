"""The frame-level piano-roll model: rolls, exact likelihoods, training through the CLI."""

import math

import pytest
import torch
from click.testing import CliRunner

from artforge.cli import app
from artforge.music.frame_model import FrameConfig, PianoRollModel
from artforge.music.frame_train import independent_keys_nll
from artforge.music.pianoroll import FrameWindows, frames_score, score_frames
from tests.music.fixtures import C_MAJOR, melody_score


def test_score_to_frames_and_back():
    score = melody_score(C_MAJOR)  # quarter notes over two whole-note bass notes
    roll = score_frames(score)
    assert roll.shape == (8, 88)
    assert roll[0].nonzero().flatten().tolist() == [48 - 21, 60 - 21]
    assert roll[:, 48 - 21].tolist() == [1, 1, 1, 1, 0, 0, 0, 0]
    back = frames_score(roll)
    assert sorted((n.time // 480, n.pitch, n.duration // 480) for n in back.tracks[0].notes) == \
        sorted([(i, p, 1) for i, p in enumerate(C_MAJOR)] + [(0, 48, 4), (4, 43, 4)])


@pytest.mark.parametrize("output", ["independent", "autoregressive"])
def test_untrained_nll_is_88_coin_flips_and_exact(output):
    torch.manual_seed(0)
    model = PianoRollModel(FrameConfig(hidden=8, dropout=0.0, output=output)).eval()
    torch.nn.init.zeros_(model.net.fc.weight)
    torch.nn.init.zeros_(model.net.fc.bias)
    roll = score_frames(melody_score(C_MAJOR))
    assert model.piece_nll(roll) == pytest.approx(8 * 88 * math.log(2), rel=1e-5)


def test_autoregressive_output_sees_only_lower_keys_of_the_same_frame():
    torch.manual_seed(0)
    model = PianoRollModel(FrameConfig(hidden=8, dropout=0.0)).eval()
    torch.nn.init.normal_(model.below)
    frame = torch.zeros(1, 88)
    frame[0, 40] = 1.0
    added = model.within_frame(frame)[0]
    assert bool((added[:41] == 0).all()) and bool((added[41:] != 0).all())


def test_windows_mask_padding_and_transpose_keeps_shape():
    roll = score_frames(melody_score(C_MAJOR))
    data = FrameWindows([roll], length=6, transpose=2)
    frames, masks = data.__getitems__(list(range(len(data))))
    assert frames.shape == (len(data), 7, 88) and masks.shape == (len(data), 7)
    assert len(data) == 2 and masks[-1].tolist() == [1, 1, 1, 1, 1, 1, 0]
    assert frames.sum().item() == sum(
        w.sum().item() for w in FrameWindows([roll], length=6).frames)


def test_independent_keys_baseline():
    roll = torch.zeros(4, 88)
    roll[:2, 0] = 1.0
    expected = -(2 * math.log(0.5) + 2 * math.log(0.5)) / 4 - 87 * math.log(1 - 1e-4)
    assert independent_keys_nll([roll], [roll]) == pytest.approx(expected, rel=1e-4)


def test_frame_training_and_eval_through_the_cli(tmp_path):
    from tests.music.fixtures import write_song_folder

    songs = write_song_folder(tmp_path / "songs", 4)
    runner = CliRunner()
    done = runner.invoke(app, ["music", "train", "--data", str(songs), "--frames", "--arch",
                               "gru", "--hidden", "16", "--steps", "20", "--lr", "1e-2",
                               "--batch-size", "4", "--out", str(tmp_path / "run"),
                               "--device", "cpu"])
    assert done.exit_code == 0, done.output
    assert "Trained to step 20 (steps)" in done.output
    scored = runner.invoke(app, ["music", "eval", "--model", str(tmp_path / "run"), "--data",
                                 str(songs)])
    assert scored.exit_code == 0, scored.output
    nll = float(scored.output.split("NLL ")[1].split()[0])
    assert scored.output.startswith("pianoroll (gru): NLL ") and nll < 88 * math.log(2) / 2
    refused = runner.invoke(app, ["music", "train", "--data", str(songs), "--frames", "--arch",
                                  "transformer", "--out", str(tmp_path / "r2")])
    assert refused.exit_code == 2
    assert "--frames trains an lstm or gru" in refused.output


def test_a_fresh_process_finds_every_music_model_by_name():
    import subprocess
    import sys

    code = ("from artforge.core.registry import MODELS, PIPELINES\n"
            "assert {'lstm', 'gru', 'transformer', 'pianoroll'} <= set(MODELS.names())\n"
            "assert 'music.generate' in PIPELINES.names()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
