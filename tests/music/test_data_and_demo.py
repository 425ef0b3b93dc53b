"""Built-in data (music21's Bach chorales, split by BWV number) and the demo's music piece."""

from pathlib import Path

import symusic
from PIL import Image

from artforge.core.atomic import write_bytes
from artforge.music import datasets as music_data
from artforge.music.datasets import bwv_part, hash_split
from tests.music.fixtures import C_MAJOR, melody_score


def test_bwv_numbers_fix_the_split():
    assert bwv_part(Path("bwv18.5.mxl")) == "validation"
    assert bwv_part(Path("bwv119.9.mxl")) == "test"
    assert bwv_part(Path("bwv1.6.mxl")) == "train"
    assert bwv_part(Path("bwv250.mxl")) == "train"


def test_user_folders_hold_out_one_file_in_ten_by_name():
    files = [Path(f"song{i:02d}.mid") for i in range(20)]
    train, validation, test = hash_split(files)
    assert len(validation) == 2 and not test and set(train) | set(validation) == set(files)
    assert hash_split(files[::-1])[1] == validation[::-1] or set(
        hash_split(files[::-1])[1]) == set(validation)  # the order of files does not matter
    assert hash_split(files[:1]) == (files[:1], [], [])


def test_two_real_chorales_are_converted_to_their_four_voices():
    splits = music_data.builtin_splits("bach", limit=2)
    files = splits.train + splits.validation + splits.test
    assert len(files) == 2 and splits.note == "builtin:bach (2 pieces)"
    for path in files:
        names = [track.name for track in symusic.Score(path).tracks]
        assert names == ["Soprano", "Alto", "Tenor", "Bass"]
    assert not (music_data.cache_dir() / "builtin" / "bach" / ".complete").exists()


def fake_bach_cache(monkeypatch) -> None:
    """A few C-major 'chorales' in place of the shipped ones, so that the demo test trains
    on a known key and little data."""
    root = music_data.cache_dir() / "builtin" / "bach"
    monkeypatch.setattr(music_data, "SHIPPED_BACH", root)
    for part in ("train", "test"):
        (root / part).mkdir(parents=True)
    for index in range(40):
        part = "test" if index < 3 else "train"
        up = [p + (index % 3) * 2 for p in C_MAJOR]
        melody_score((up + up[::-1]) * 2).dump_midi(root / part / f"bwv{index}.mid")
    for index in range(6):
        melody_score(C_MAJOR * 4).dump_midi(root / "train" / f"bwv{100 + index}.mid")
    write_bytes(root / ".complete", music_data.CACHE_VERSION)


def test_demo_piece_is_midi_wav_and_png_and_a_second_run_continues(tmp_path, monkeypatch):
    from artforge.core import checkpoint
    from artforge.music.demo import RUN_NAME, make_demo_piece

    fake_bach_cache(monkeypatch)
    works = make_demo_piece(tmp_path / "demo", seed=1, device="cpu", minutes=0.02)
    # The shipped models' continuations first (no training), then the minute-trained LSTM's.
    assert [w.kind for w in works] == ["audio", "image"] * 3
    assert [w.title for w in works] == [
        "Bach continued by builtin:bach: listen", "Bach continued by builtin:bach: piano roll",
        "A folk tune continued by builtin:folk: listen",
        "A folk tune continued by builtin:folk: piano roll",
        "Bach continued: listen", "Bach continued: piano roll"]
    assert "builtin:bach, a model artforge ships (no training" in works[0].caption
    assert works[0].provenance["params"]["builtin_model"] == "builtin:bach"
    assert works[2].provenance["params"]["builtin_model"] == "builtin:folk"
    assert "O'Neill's Music of Ireland" in works[2].caption and "on a fiddle" in works[2].caption
    for listen, roll in (works[:2], works[4:]):
        assert listen.path.suffix == ".wav" and listen.path.stat().st_size > 44
        assert Image.open(roll.path).size == (1200, 420)
        assert "continues the first 2 bars of bwv1" in listen.caption
        assert "kept to D major" in listen.caption  # bwv1 here: the C major scale moved up 2
        assert listen.provenance["pipeline"] == "music.generate"
    first = checkpoint.latest_checkpoint(tmp_path / "demo" / RUN_NAME)
    make_demo_piece(tmp_path / "demo", seed=1, device="cpu", minutes=0.02)
    assert checkpoint.latest_checkpoint(tmp_path / "demo" / RUN_NAME).name > first.name


def test_folk_tunes_are_read_one_by_one_from_the_abc_collections():
    from artforge.music.datasets import abc_tunes

    text = "% header\nX:1\nT:a\nK:G\nGAB|\n\nX:2\nT:b\nK:D\nDEF|\n"
    assert abc_tunes(text) == ["X:1\nT:a\nK:G\nGAB|\n", "X:2\nT:b\nK:D\nDEF|\n"]
    splits = music_data.builtin_splits("folk", limit=3)
    files = splits.train + splits.validation + splits.test
    assert len(files) == 3
    assert all(len(symusic.Score(path).tracks[0].notes) > 10 for path in files)
    assert all(music_data.hash_part(path.stem) == path.parent.name for path in files)


def test_folk_tunes_are_converted_silently_with_their_repeats_played(capfd, tmp_path):
    # abcMIDI warns of the odd bar on stdout; a conversion prints nothing.
    tune = "X:1\nT:Two bars\nM:2/4\nL:1/8\nK:G\n|:GABc|d2d2:|\n"
    music_data.abc_midi(tune + "GABcd|\n")
    assert "time units" in "".join(capfd.readouterr())  # abcMIDI's own warning
    with music_data.silenced_output():
        data = music_data.abc_midi(tune + "GABcd|\n")
    assert data is not None and capfd.readouterr() == ("", "")
    notes = symusic.Score.from_midi(music_data.abc_midi(tune)).tracks[0].notes
    assert [n.pitch for n in notes] == [67, 69, 71, 72, 74, 74] * 2
    assert music_data.abc_midi("X:1\nT:empty\nK:C\nz4|\n") is None


def test_oneills_tunes_stay_out_of_the_folk_training_data():
    assert music_data.abc_title("T: Rakes of Kildare, The\n") == music_data.abc_title(
        "T:The Rakes of Kildare\n") == "kildare of rakes"
    assert music_data.abc_opening('K:D\n"D"d2 {e}dB !trill!A2FA | d>ef^g a2ab |\n') == (
        "DDBAFADEFGAA")
    assert music_data.abc_opening("K:D\nd2dB|\n") == ""  # too short to say
    held = music_data.folk_tunes(music_data.HELD_OUT)
    kept = music_data._folk_training_tunes()
    assert len(held) == 2009 and len(kept) > 10_000
    titles = {music_data.abc_title(text) for _, text in held}
    openings = {music_data.abc_opening(text) for _, text in held} - {""}
    assert not any(music_data.abc_title(text) in titles for _, text in kept)
    assert not any(music_data.abc_opening(text) in openings for _, text in kept)
    assert {stem.split("_")[0] for stem, _ in kept} == set(music_data.FOLK_SOURCES)


def test_the_shipped_chorales_are_split_by_bwv_number():
    splits = music_data.builtin_splits("bach")
    assert (len(splits.train), len(splits.validation), len(splits.test)) == (321, 53, 36)
    assert all(music_data.bwv_part(p) == "test" for p in splits.test)
