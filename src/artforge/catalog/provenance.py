"""Provenance carried inside created files: a PNG text chunk and a MIDI text meta event.

The catalog row says how a work was made; these copies travel with the file when it leaves
the machine. Both hold the same JSON under the key / prefix "artforge".
"""

import io
import json
from pathlib import Path
from typing import Any

import mido
from PIL import Image, PngImagePlugin, UnidentifiedImageError

from artforge.catalog.records import to_json
from artforge.core.atomic import write_bytes
from artforge.errors import UserError

PROVENANCE_KEY = "artforge"
MIDI_PREFIX = PROVENANCE_KEY + ":"


def save_png(image: Image.Image, path: Path, provenance: dict[str, Any],
             compress_level: int = 6) -> Path:
    """Write `image` as a PNG at `path`, atomically, with `provenance` in an iTXt chunk.

    `compress_level`: zlib's, 1 (fastest) to 9 (smallest); 6 is Pillow's default.
    """
    info = PngImagePlugin.PngInfo()
    info.add_itxt(PROVENANCE_KEY, to_json(provenance))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, compress_level=compress_level)
    write_bytes(Path(path), buffer.getvalue())
    return Path(path)


def read_png_provenance(path: Path) -> dict[str, Any] | None:
    """The provenance saved by `save_png`, or None for a PNG without it."""
    try:
        with Image.open(path) as image:
            if image.format != "PNG":
                raise UserError(f"{path} is a {image.format} image, not a PNG.")
            text = image.text.get(PROVENANCE_KEY)
    except (OSError, UnidentifiedImageError, SyntaxError) as exc:
        raise UserError(f"cannot read {path} as a PNG image ({exc}).") from None
    return _parse(text, path)


def _parse(text: str | None, path: Path) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise UserError(f"the artforge provenance in {path} is damaged.") from None


def _load_midi(path: Path) -> mido.MidiFile:
    try:
        return mido.MidiFile(path)
    except (OSError, EOFError, ValueError, KeyError) as exc:
        raise UserError(f"cannot read {path} as a MIDI file ({exc}).") from None


def _is_provenance(message: mido.Message | mido.MetaMessage) -> bool:
    return message.is_meta and message.type == "text" and message.text.startswith(MIDI_PREFIX)


def _without_provenance(track: mido.MidiTrack) -> mido.MidiTrack:
    """`track` minus earlier artforge events; their delta times pass to the next event."""
    kept = mido.MidiTrack()
    carried = 0
    for message in track:
        if _is_provenance(message):
            carried += message.time
            continue
        kept.append(message.copy(time=message.time + carried))
        carried = 0
    return kept


def add_midi_provenance(path: Path, provenance: dict[str, Any]) -> Path:
    """Put `provenance` at time 0 of the first track of the MIDI file at `path`, atomically.

    An earlier artforge event is replaced, so calling this twice leaves one event.
    """
    midi = _load_midi(Path(path))
    if not midi.tracks:
        midi.tracks.append(mido.MidiTrack())
    text = MIDI_PREFIX + to_json(provenance)
    first = _without_provenance(midi.tracks[0])
    first.insert(0, mido.MetaMessage("text", text=text, time=0))
    midi.tracks[0] = first
    buffer = io.BytesIO()
    midi.save(file=buffer)
    write_bytes(Path(path), buffer.getvalue())
    return Path(path)


def read_midi_provenance(path: Path) -> dict[str, Any] | None:
    """The provenance saved by `add_midi_provenance`, or None for a MIDI file without it."""
    midi = _load_midi(Path(path))
    for track in midi.tracks:
        for message in track:
            if _is_provenance(message):
                return _parse(message.text[len(MIDI_PREFIX) :], Path(path))
    return None
