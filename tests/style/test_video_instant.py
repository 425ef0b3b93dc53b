"""`artforge style video` paints with builtin:instant unless told to optimise: the default
path, the instant painter (style code once, the frame's own memory) against `stylize`, the
blend cutting flicker on a pan, the explicit optimisation, and options that do not fit."""

import numpy as np
import pytest
from click.testing import CliRunner

from artforge.cli import app
from artforge.core.seeding import seeded
from artforge.data.pictures import open_picture
from artforge.style import video, video_frames
from artforge.style.instant_model import InstantConfig, InstantModel
from artforge.style.video import stylize_video
from artforge.style.video_io import read_provenance, read_video, write_video
from artforge.style.works import to_numpy, to_tensor
from tests.style.conftest import gradient_picture


@pytest.fixture
def instant_folder(tmp_path, monkeypatch):
    """A tiny untrained instant model, made the default of `method="network"`."""
    with seeded(0):
        folder = InstantModel(InstantConfig(width=4, style_size=32)).save(tmp_path / "instant")
    monkeypatch.setattr(video, "DEFAULT_MODEL", str(folder))
    return folder


@pytest.fixture
def pan(tmp_path):
    """8 frames of 64x48 panning 3 px a frame across a photo-like picture, at 12 fps."""
    photo = np.asarray(gradient_picture(96, 48, seed=3), np.float32) / 255
    photo = photo * (0.6 + 0.4 * np.sin(np.arange(96) / 3.0))[None, :, None]  # vertical edges
    return write_video([photo[:, 3 * t:3 * t + 64] for t in range(8)], tmp_path / "pan.mp4",
                       fps=12)


def run(*args: str):
    return CliRunner().invoke(app, ["style", "video", *args, "--device", "cpu"],
                              catch_exceptions=False)


def test_the_command_paints_with_the_instant_model_by_default(instant_folder, clip, pictures,
                                                               tmp_path):
    done = run("--in", str(clip), "--style", str(pictures["style"]), "--out",
               str(tmp_path / "out.mp4"))
    assert done.exit_code == 0, done.output
    assert "Wrote" in done.output and "6 frames at 10 fps" in done.output
    frames, fps = read_video(tmp_path / "out.mp4")
    assert len(frames) == 6 and frames[0].shape == (32, 48, 3) and fps == 10.0
    params = read_provenance(tmp_path / "out.mp4")["params"]
    assert params["model"] == str(instant_folder) and params["flow"] == "dis-fast"
    assert params["temporal"] is True


def test_the_instant_painter_paints_as_stylize_with_weights_and_strength(instant_folder,
                                                                         pictures):
    model = InstantModel.load(instant_folder)
    styles = [str(pictures["style"]), "builtin:durer-lion"]
    paint = video_frames.network_painter(instant_folder, "cpu", styles, [3.0, 1.0], 0.5)
    frame = np.asarray(gradient_picture(40, 24), np.float32) / 255
    tensors = [to_tensor(open_picture(spec)) for spec in styles]
    expected = to_numpy(model.stylize(to_tensor(frame), tensors, [3.0, 1.0], alpha=0.5))
    painted = paint(frame)
    assert painted.shape == (24, 40, 3)
    np.testing.assert_allclose(painted, expected, atol=1e-5)
    full_first_style = to_numpy(model.stylize(to_tensor(frame), tensors[:1]))
    assert np.abs(painted - full_first_style).max() > 0.01


def test_blending_along_the_flow_cuts_the_flicker_of_a_pan(instant_folder, pan, pictures,
                                                           tmp_path):
    results = {temporal: stylize_video(pan, tmp_path / f"{temporal}.mp4", method="network",
                                       styles=[str(pictures["style"])], temporal=temporal,
                                       device="cpu", catalog=False, show_progress=False)
               for temporal in (True, False)}
    steady, shaky = results[True], results[False]
    assert steady.frames == shaky.frames == 8
    assert steady.flicker < 0.7 * shaky.flicker, (steady.flicker, shaky.flicker)
    assert set(steady.stages) == {"read", "flow", "stylise", "write"}
    assert steady.seconds == pytest.approx(steady.stages["flow"] + steady.stages["stylise"])


def test_the_explicit_optimisation_still_optimises(clip, pictures, tmp_path):
    done = run("--in", str(clip), "--style", str(pictures["style"]), "--method", "optimise",
               "--size", "32", "--iterations", "2", "--frame-iterations", "2",
               "--max-frames", "2", "--out", str(tmp_path / "o.mp4"))
    assert done.exit_code == 0, done.output
    assert len(read_video(tmp_path / "o.mp4")[0]) == 2
    params = read_provenance(tmp_path / "o.mp4")["params"]
    assert params["model"] is None and params["flow"] == "dis"
    assert params["options"]["iterations"] == [2]


@pytest.mark.parametrize("args, message", [
    (["--method", "optimise", "--model", "{model}"], "--model is for --method network"),
    (["--alpha", "1.5"], "--alpha must be between 0 and 1, not 1.5."),
    (["--iterations", "5"], "options iterations are for --method optimise, not a network."),
    (["--style-weights", "1,2"], "1 style pictures but 2 blend weights"),
])
def test_options_that_do_not_fit_are_one_line_and_exit_2(args, message, instant_folder, clip,
                                                         pictures, tmp_path):
    values = {"model": instant_folder}
    done = run("--in", str(clip), "--style", str(pictures["style"]), "--out",
               str(tmp_path / "v.mp4"), *[a.format(**values) for a in args])
    assert done.exit_code == 2, done.output
    assert done.output.startswith("error: ") and message in done.output
    assert len(done.output.strip().splitlines()) == 1
    assert not (tmp_path / "v.mp4").exists()


def test_an_instant_model_without_a_style_is_one_line(instant_folder, clip, tmp_path):
    done = run("--in", str(clip), "--out", str(tmp_path / "v.mp4"))
    assert done.exit_code == 2 and done.output == (
        "error: an instant model needs at least one --style picture.\n")
    assert not (tmp_path / "v.mp4").exists()
