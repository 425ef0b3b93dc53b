"""Hearing and seeing a score: WAV through fluidsynth and a General MIDI SoundFont (or
pretty_midi's sine synthesis when fluidsynth is missing), and a piano-roll PNG."""

import io
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np
import symusic
from PIL import Image, ImageDraw

from artforge.core.atomic import write_bytes
from artforge.errors import UserError

SAMPLE_RATE = 44100
BACKGROUND, GRID, OCTAVE = (250, 248, 244), (228, 224, 216), (200, 194, 184)
NOTE, PRIMER_NOTE, SPLIT = (192, 57, 43), (120, 120, 120), (40, 90, 160)


def soundfont() -> Path:
    import pretty_midi

    return Path(pretty_midi.__file__).with_name("TimGM6mb.sf2")


def fluidsynth_path() -> str | None:
    return shutil.which("fluidsynth")


def render_wav(midi: Path, out: Path, *, use_fluidsynth: bool = True) -> str:
    """Write `midi` as a 16-bit WAV at `out` atomically; returns the synthesiser used."""
    midi, out = Path(midi), Path(out)
    program = fluidsynth_path() if use_fluidsynth else None
    if program is not None:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "out.wav"
            done = subprocess.run([program, "-ni", "-q", "-g", "0.8", "-r", str(SAMPLE_RATE),
                                   "-F", str(target), str(soundfont()), str(midi)],
                                  capture_output=True, text=True, timeout=600)
            if done.returncode == 0 and target.is_file() and target.stat().st_size > 44:
                write_bytes(out, target.read_bytes())
                return "fluidsynth"
    _write_sine_wav(midi, out)
    return "pretty_midi"


def _write_sine_wav(midi: Path, out: Path) -> None:
    import pretty_midi

    try:
        audio = pretty_midi.PrettyMIDI(str(midi)).synthesize(fs=SAMPLE_RATE)
    except Exception as exc:  # pretty_midi/mido raise several kinds on a bad file
        raise UserError(f"cannot read {midi} as MIDI to render it "
                        f"({type(exc).__name__}).") from None
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    samples = (audio / peak * 0.8 if peak > 0 else audio) * 32767
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(SAMPLE_RATE)
        handle.writeframes(samples.astype("<i2").tobytes())
    write_bytes(out, buffer.getvalue())


def piano_roll(score: symusic.Score, *, split_tick: int | None = None, width: int = 1200,
               height: int = 420) -> Image.Image:
    """Notes as bars (time → right, pitch ↑), bar lines and C lines in grey; notes before
    `split_tick` (the primer) grey, the continuation red, with a blue line between."""
    notes = [note for track in score.tracks for note in track.notes]
    image = Image.new("RGB", (width, height), BACKGROUND)
    if not notes:
        return image
    draw = ImageDraw.Draw(image)
    low = min(n.pitch for n in notes) - 2
    high = max(n.pitch for n in notes) + 2
    end = max(n.time + n.duration for n in notes) or 1
    x_of = lambda tick: 8 + tick / end * (width - 16)  # noqa: E731
    row = (height - 16) / (high - low + 1)
    y_of = lambda pitch: 8 + (high - pitch) * row  # noqa: E731
    bar = score.tpq * 4
    for tick in range(0, end + 1, bar):
        draw.line([(x_of(tick), 8), (x_of(tick), height - 8)], fill=GRID)
    for pitch in range(low, high + 1):
        if pitch % 12 == 0:
            draw.line([(8, y_of(pitch) + row / 2), (width - 8, y_of(pitch) + row / 2)],
                      fill=OCTAVE)
    for note in notes:
        colour = PRIMER_NOTE if split_tick is not None and note.time < split_tick else NOTE
        box = [x_of(note.time), y_of(note.pitch),
               max(x_of(note.time) + 1, x_of(note.time + note.duration) - 1),
               y_of(note.pitch) + max(1.0, row - 1)]
        draw.rectangle(box, fill=colour)
    if split_tick:
        draw.line([(x_of(split_tick), 4), (x_of(split_tick), height - 4)], fill=SPLIT, width=2)
    return image
