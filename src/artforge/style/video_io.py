"""Reading and writing video with imageio-ffmpeg: frames as arrays, the audio track kept.

The output is written to a hidden temporary file beside the target and renamed into place,
so a failure never leaves half a video. x264's "veryfast" preset encodes a 512x288 frame in
about 7 ms on a busy 2-core machine against 22 ms for its default ("medium"), in a 4 %
smaller file whose pixels are on average 0.3 levels (of 255) further from the frames.
"""

import contextlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from artforge.errors import UserError


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def has_audio(path: Path) -> bool:
    """Whether ffmpeg sees an audio stream in the file."""
    probe = subprocess.run([_ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True,
                           text=True, errors="replace")
    return re.search(r"Stream #\S+.*: Audio:", probe.stderr) is not None


def read_provenance(path: Path) -> dict | None:
    """The "artforge" JSON that write_video put in the container's comment, or None."""
    import json

    dump = subprocess.run([_ffmpeg(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
                          capture_output=True, text=True, errors="replace")
    for line in dump.stdout.splitlines():
        if line.startswith("comment="):
            text = re.sub(r"\\(.)", r"\1", line.removeprefix("comment="))
            try:
                return json.loads(text).get("artforge")
            except (json.JSONDecodeError, AttributeError):
                return None
    return None


def even_size(width: int, height: int, long_side: int | None) -> tuple[int, int]:
    """The frame size to work at: the longer side shrunk to `long_side` if it is longer
    (never enlarged; None: as it is), both sides even, as H.264 in yuv420p needs."""
    if long_side and max(width, height) > long_side:
        scale = long_side / max(width, height)
        width, height = round(width * scale), round(height * scale)
    return max(2, width - width % 2), max(2, height - height % 2)


def read_video(path: Path, long_side: int | None = None, max_frames: int | None = None
               ) -> tuple[list[np.ndarray], float]:
    """The frames ((H, W, 3) float32 in [0, 1], shrunk to `long_side`) and the frame rate."""
    import cv2
    import imageio_ffmpeg

    path = Path(path)
    if not path.is_file():
        raise UserError(f"video {path} does not exist.")
    frames: list[np.ndarray] = []
    try:
        reader = imageio_ffmpeg.read_frames(str(path))
        meta = next(reader)
        width, height = meta["size"]
        size = even_size(width, height, long_side)
        for raw in reader:
            pixels = np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3)
            if (width, height) != size:
                pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
            frames.append(pixels.astype(np.float32) / 255.0)
            if max_frames and len(frames) >= max_frames:
                reader.close()
                break
    except (OSError, RuntimeError, StopIteration, KeyError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(f"{path} cannot be read as a video ({first[:160]}).") from None
    if not frames:
        raise UserError(f"{path} has no video frames.")
    return frames, float(meta.get("fps") or 25.0)


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.",
                                suffix=target.suffix)
    os.close(fd)
    try:
        yield Path(name)
        os.replace(name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def write_video(frames: list[np.ndarray], out: Path, fps: float, audio_from: Path | None = None,
                comment: str = "") -> Path:
    """Encode frames (H, W, 3) in [0, 1] as H.264 at `out`, with the audio of `audio_from`
    (when it has any) and `comment` in the container's metadata."""
    import imageio_ffmpeg

    out = Path(out)
    height, width = frames[0].shape[:2]
    audio = audio_from is not None and has_audio(Path(audio_from))
    extra = ["-preset", "veryfast", *(["-shortest"] if audio else [])]
    if comment:
        extra += ["-metadata", f"comment={comment}"]
    with _temporary_beside(out) as tmp:
        writer = imageio_ffmpeg.write_frames(
            str(tmp), (width, height), fps=fps, codec="libx264", quality=8, macro_block_size=2,
            audio_path=str(audio_from) if audio else None, audio_codec="aac" if audio else None,
            output_params=extra, ffmpeg_log_level="error")
        writer.send(None)
        for frame in frames:
            writer.send((np.clip(frame, 0, 1) * 255 + 0.5).astype(np.uint8).tobytes())
        writer.close()
    return out
