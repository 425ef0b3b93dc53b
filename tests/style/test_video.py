"""Video: a round trip that keeps the sound, optical flow and the flicker metric on known
motion, temporal consistency for both methods, and bad clips (a clip whose frame size
changes is read at its first size: ffmpeg scales the rest, so stylising never sees two)."""

import subprocess

import numpy as np
import pytest

from artforge.errors import UserError
from artforge.style.flow import Motion, flicker
from artforge.style.video import stylize_video
from artforge.style.video_io import has_audio, read_provenance, read_video
from tests.style.conftest import ffmpeg


def test_flicker_is_exact_on_a_still_clip_with_alternating_output():
    still = np.random.default_rng(0).uniform(0, 1, (24, 32, 3)).astype(np.float32)
    outputs = [np.full((24, 32, 3), v, np.float32) for v in (0.2, 0.6, 0.2)]
    assert flicker(outputs, [still] * 3) == pytest.approx(0.4 * 255, abs=1e-3)
    assert flicker(outputs[:1], [still]) == 0.0


@pytest.mark.parametrize("method", ["dis", "dis-fast"])
def test_flow_follows_a_moving_texture(method):
    rng = np.random.default_rng(1)
    texture = rng.uniform(0, 1, (40, 60, 3)).astype(np.float32)
    texture = np.clip(np.cumsum(texture, axis=1) / 8 % 1.0, 0, 1)  # smooth-ish stripes
    frames = [np.roll(texture, 2 * t, axis=1) for t in range(3)]
    motion = Motion.between(frames[0], frames[1], method)
    inner = motion.backward[8:-8, 8:-8]
    assert np.median(inner[..., 0]) == pytest.approx(-2.0, abs=0.25)
    assert abs(np.median(inner[..., 1])) < 0.25 and motion.reliable[8:-8, 8:-8].mean() > 0.8
    assert np.abs(motion.warp(frames[0])[8:-8, 8:-8] - frames[1][8:-8, 8:-8]).mean() < 0.02
    assert flicker(frames, frames, method) < 0.1 * flicker(frames[::-1][:1] * 3, frames, method)


def test_a_network_stylises_a_clip_keeping_frames_size_and_sound(johnson_folder, clip, tmp_path):
    steady = stylize_video(clip, tmp_path / "steady.mp4", model=johnson_folder, blend=0.6,
                           device="cpu", catalog=False, show_progress=False)
    frames, fps = read_video(steady.path)
    assert len(frames) == steady.frames == 6 and fps == 10.0
    assert frames[0].shape == (32, 48, 3) and has_audio(steady.path)
    provenance = read_provenance(steady.path)
    assert provenance["pipeline"] == "style.video" and provenance["params"]["blend"] == 0.6
    shaky = stylize_video(clip, tmp_path / "shaky.mp4", model=johnson_folder, temporal=False,
                          device="cpu", catalog=False, show_progress=False)
    assert steady.flicker < shaky.flicker


def test_optimisation_follows_the_previous_frame(clip, pictures, tmp_path):
    result = stylize_video(clip, tmp_path / "gatys.mp4", styles=[str(pictures["style"])],
                           method="optimise", size=32, iterations=(2,), frame_iterations=2,
                           max_frames=3, optimizer="adam", lr=0.05, device="cpu", catalog=False,
                           show_progress=False)
    assert result.frames == 3 and read_video(result.path)[0][0].shape == (20, 32, 3)
    assert np.isfinite(result.flicker) and read_provenance(result.path)["params"]["model"] is None


def test_a_clip_whose_frame_size_changes_is_read_at_its_first_size(tmp_path):
    parts = []
    for size in ("48x32", "64x48"):
        parts.append(tmp_path / f"{size}.ts")
        subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                        "-i", f"testsrc=size={size}:rate=10", "-t", "0.3", "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", str(parts[-1])], check=True)
    joined = tmp_path / "joined.ts"
    joined.write_bytes(b"".join(part.read_bytes() for part in parts))
    frames, _ = read_video(joined)
    assert len(frames) == 6 and {frame.shape for frame in frames} == {(32, 48, 3)}


def test_clips_without_frames_and_non_videos_are_user_errors(tmp_path, johnson_folder):
    sound = tmp_path / "sound.mp4"
    subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=440", "-t", "0.3", "-c:a", "aac", str(sound)], check=True)
    out = tmp_path / "out.mp4"
    with pytest.raises(UserError, match="sound.mp4 (has no video frames|cannot be read)"):
        stylize_video(sound, out, model=johnson_folder, device="cpu", catalog=False)
    text = tmp_path / "notes.mp4"
    text.write_text("not a video")
    with pytest.raises(UserError, match="notes.mp4 cannot be read as a video"):
        stylize_video(text, out, model=johnson_folder, device="cpu", catalog=False)
    with pytest.raises(UserError, match="--out must end in .mp4"):
        stylize_video(text, tmp_path / "out.gif", model=johnson_folder, catalog=False)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".mp4") == [
        "notes.mp4", "sound.mp4"]
