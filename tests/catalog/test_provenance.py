from pathlib import Path

import mido
import pytest
from PIL import Image

from artforge.catalog.provenance import (
    add_midi_provenance,
    read_midi_provenance,
    read_png_provenance,
    save_png,
)
from artforge.errors import UserError

PROVENANCE = {"pipeline": "gan.sample", "params": {"title": "静夜思", "n": 2}, "seed": 5}


def _picture() -> Image.Image:
    return Image.frombytes("RGB", (3, 2), bytes(range(0, 180, 10)))


def test_png_round_trip(tmp_path: Path):
    path = save_png(_picture(), tmp_path / "a.png", PROVENANCE)
    assert read_png_provenance(path) == PROVENANCE
    with Image.open(path) as saved:
        assert saved.tobytes() == _picture().tobytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]


def test_png_without_provenance_reads_as_none(tmp_path: Path):
    _picture().save(tmp_path / "plain.png")
    assert read_png_provenance(tmp_path / "plain.png") is None


@pytest.mark.parametrize("name", ["broken.png", "photo.jpg", "missing.png"])
def test_unreadable_or_wrong_image_is_a_user_error(tmp_path: Path, name: str):
    if name == "broken.png":
        (tmp_path / name).write_bytes(b"\x89PNG not really")
    elif name == "photo.jpg":
        _picture().save(tmp_path / name, format="JPEG")
    with pytest.raises(UserError, match=name):
        read_png_provenance(tmp_path / name)


def _tune(path: Path, provenance_at: int | None = None) -> Path:
    """Three notes; optionally an old artforge event in the middle of the first track."""
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name="tune", time=0))
    track.append(mido.MetaMessage("text", text="composed by hand", time=0))
    for i, note in enumerate((60, 64, 67)):
        if provenance_at == i:
            track.append(mido.MetaMessage("text", text='artforge:{"old": true}', time=30))
        track.append(mido.Message("note_on", note=note, velocity=80, time=0 if i == 0 else 60))
        track.append(mido.Message("note_off", note=note, velocity=0, time=120))
    midi = mido.MidiFile(ticks_per_beat=96)
    midi.tracks.append(track)
    midi.save(path)
    return path


def _timeline(path: Path) -> list[tuple[int, str]]:
    """Every event but artforge's, with its absolute tick: what a listener would get."""
    events, tick = [], 0
    for message in mido.MidiFile(path).tracks[0]:
        tick += message.time
        if not (
            message.is_meta and message.type == "text" and message.text.startswith("artforge:")
        ):
            events.append((tick, str(message.copy(time=0))))
    return events


def _artforge_events(path: Path) -> list[mido.MetaMessage]:
    track = mido.MidiFile(path).tracks[0]
    return [m for m in track if m.is_meta and m.type == "text" and m.text.startswith("artforge:")]


def test_midi_provenance_written_twice_leaves_one_event(tmp_path: Path):
    path = _tune(tmp_path / "tune.mid")
    before = _timeline(path)
    add_midi_provenance(path, {"seed": 1})
    add_midi_provenance(path, PROVENANCE)
    assert read_midi_provenance(path) == PROVENANCE
    events = _artforge_events(path)
    assert len(events) == 1 and events[0].time == 0
    assert mido.MidiFile(path).tracks[0][0].text == events[0].text
    assert _timeline(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tune.mid"]


def test_old_event_in_mid_track_is_replaced_without_moving_notes(tmp_path: Path):
    path = _tune(tmp_path / "tune.mid", provenance_at=1)
    assert read_midi_provenance(path) == {"old": True}
    before = _timeline(path)
    add_midi_provenance(path, PROVENANCE)
    assert _timeline(path) == before
    assert read_midi_provenance(path) == PROVENANCE and len(_artforge_events(path)) == 1


def test_midi_without_provenance_reads_as_none(tmp_path: Path):
    assert read_midi_provenance(_tune(tmp_path / "tune.mid")) is None


def test_not_a_midi_file_is_a_user_error_and_left_alone(tmp_path: Path):
    path = tmp_path / "song.mid"
    path.write_bytes(b"RIFF....WAVE")
    with pytest.raises(UserError, match="song.mid"):
        add_midi_provenance(path, PROVENANCE)
    with pytest.raises(UserError, match="song.mid"):
        read_midi_provenance(path)
    assert path.read_bytes() == b"RIFF....WAVE"
