"""builtin:folk-band: folk tunes arranged by rule for melody, piano, bass and drums. A tiny
tune has known chords, bass notes and drum hits; the files round-trip; the data set is built
from a stand-in builtin:folk cache (no music21), deterministically, in folk's parts."""

import random

import pytest
import symusic

from artforge.music.band.arrange import CRASH, HAT, KICK, SNARE, TOMS, Style, arrange
from artforge.music.band.data import band_data
from artforge.music.band.folkband import TRACKS, arrange_tune, band_score, tune_notes
from artforge.music.band.harmony import choose_chords, estimate_key
from artforge.music.band.metre import Metre, normal_metre, pickup_steps
from artforge.music.band.tracks import assign
from artforge.music.datasets import CACHE_VERSION, cache_dir, music_splits

FOUR = Metre(4, 4)
TUNE = [(0, 4, 60), (4, 4, 64), (8, 4, 67), (12, 4, 64),   # C E G E: C major
        (16, 4, 65), (20, 4, 69), (24, 4, 67), (28, 4, 71),  # F A | G B: F, then G
        (32, 16, 60)]                                        # the last bar: C


def test_key_and_chords_of_a_tiny_tune():
    assert estimate_key(TUNE) == (0, False)
    assert choose_chords(TUNE, FOUR, 6, 0, False) == [(0, 4), (0, 4), (5, 4), (7, 4), (0, 4),
                                                      (0, 4)]


def test_arranging_a_tiny_tune_gives_exact_notes():
    parts = arrange(TUNE, FOUR, Style("sustain", "roots", "rock", "snare"))
    # Bass: each chord's root, in the octave nearest the last one, for half a bar.
    assert parts["bass"] == [(0, 8, 48), (8, 8, 48), (16, 8, 41), (24, 8, 43), (32, 8, 48),
                             (40, 8, 48)]
    # Piano: close voicings under the melody moving by the smallest steps; the end is held.
    chords = {}
    for start, steps, pitch in parts["piano"]:
        chords.setdefault((start, steps), []).append(pitch)
    assert chords == {(0, 8): [52, 55, 60], (8, 8): [52, 55, 60], (16, 8): [53, 57, 60],
                      (24, 8): [50, 55, 59], (32, 8): [52, 55, 60], (40, 8): [52, 55, 60]}
    # Drums: kick on 1 and 3, snare on 2 and 4, hi-hat 8ths, a crash opening the phrase; the
    # last bar is one kick and crash.
    bar = {(0, KICK), (8, KICK), (4, SNARE), (12, SNARE)} | {(t, HAT) for t in range(0, 16, 2)}
    expected = ({(t, 1, k) for t, k in bar | {(0, CRASH)}}
                | {(16 + t, 1, k) for t, k in bar} | {(32, 1, KICK), (32, 1, CRASH)})
    assert set(parts["drums"]) == expected
    drums = band_score({"melody": TUNE, **parts}, FOUR, 100).tracks[3]
    assert drums.is_drum and [n.time for n in drums.notes if n.pitch == KICK] == [
        0, 960, 1920, 2880, 3840]  # 480 ticks a quarter: beats 1 and 3, and the last downbeat


def test_waltz_patterns_and_a_fill():
    waltz = Metre(3, 4)
    tune = [(bar * 12 + beat * 4, 4, 67 if beat else 60) for bar in range(5) for beat in range(3)]
    parts = arrange(tune, waltz, Style("afterbeats", "root-fifth", "light", "toms"))
    assert [(t, n) for t, n, p in parts["piano"] if t < 12 and p == parts["piano"][0][2]] == [
        (4, 2), (8, 2)]  # oom-pah-pah: chords on beats 2 and 3
    assert [(t, n, p % 12) for t, n, p in parts["bass"] if t < 12] == [(0, 8, 0), (8, 4, 7)]
    fill = sorted((t, p) for t, _, p in parts["drums"] if 36 <= t < 48 and p in TOMS)
    assert fill == [(44, 50), (45, 47), (46, 45), (47, 43)]  # down the toms in bar 4's last beat


def test_metre_normalisation_and_pickup():
    assert normal_metre(4, 2) == (Metre(4, 4), 0.5)
    assert normal_metre(6, 8) == (Metre(6, 8), 1.0)
    assert Metre(6, 8).beat == 6 and Metre(6, 8).span == 12 and Metre(6, 4).span == 12
    pickup = [(0, 4, 67), (4, 8, 72), (12, 4, 71), (16, 4, 69), (20, 8, 67), (28, 4, 65),
              (32, 4, 64), (36, 16, 60)]
    assert pickup_steps(pickup, FOUR) == 4
    assert pickup_steps(TUNE, FOUR) == 0


def folk_tune(shift: int) -> symusic.Score:
    """A tune in 4/2 (half notes, as the Essen songs are often written) with a half-note
    pickup: the tiny tune above, slowed down."""
    score = symusic.Score(480)
    score.time_signatures.append(symusic.TimeSignature(0, 4, 2))
    track = symusic.Track(name="", program=0)
    notes = [(0, 4, 55)] + [(s + 4, n, p) for s, n, p in TUNE[:8]]
    notes += [(s + 36, n, p) for s, n, p in TUNE]
    for start, steps, pitch in notes:
        track.notes.append(symusic.Note(start * 240, steps * 240, pitch + shift, 80))
    score.tracks.append(track)
    return score


def test_a_folk_file_is_normalised_and_round_trips():
    melody, metre = tune_notes(folk_tune(0))
    assert metre == FOUR
    assert melody[:3] == [(12, 4, 55), (16, 4, 60), (20, 4, 64)]  # the pickup ends bar 0
    band = arrange_tune(folk_tune(0), random.Random(3))
    again = symusic.Score.from_midi(band.dumps_midi())
    assert [(t.name, t.is_drum) for t in again.tracks] == [
        ("Melody", False), ("Piano", False), ("Bass", False), ("Drums", True)]
    assert again.time_signatures[0].numerator == 4 and again.time_signatures[0].denominator == 4
    parts = {"melody": melody, **arrange(melody, metre, Style.draw(random.Random(3)))}
    assert assign(again, TRACKS) == parts
    assert band_score(parts, metre, 100).tracks[3].notes == band.tracks[3].notes


def write_folk_cache(count: int = 10) -> None:
    """A stand-in for the converted builtin:folk (marked complete, so music21 is not run):
    one tune in ten for validation, as the real conversion splits them."""
    root = cache_dir() / "builtin" / "folk"
    for index in range(count):
        part = {8: "validation", 9: "test"}.get(index % 10, "train")
        (root / part).mkdir(parents=True, exist_ok=True)
        folk_tune(index % 5 - 2).dump_midi(root / part / f"tune_{index:04d}.mid")
    (root / ".complete").write_bytes(CACHE_VERSION)


def test_folk_band_data_set_is_deterministic_and_has_every_track():
    write_folk_cache()
    splits = music_splits("builtin:folk-band")
    assert [p.name for p in splits.validation] == ["tune_0008.mid"]
    assert [p.name for p in splits.test] == ["tune_0009.mid"] and len(splits.train) == 8
    first = {p.name: p.read_bytes() for p in splits.train}
    bands = band_data("builtin:folk-band", ("melody", "bass", "piano", "drums"), 4)
    assert len(bands.train) == 8 * 2 and not bands.skipped  # bars 1-4 and 2-5 of each
    assert all(all(track for track in passage) for passage in bands.train)
    stamp = cache_dir() / "builtin" / "folk-band" / ".complete"
    stamp.write_bytes(b"old\n")  # a stale cache is made again, the same
    remade = music_splits("builtin:folk-band")
    assert {p.name: p.read_bytes() for p in remade.train} == first
    assert stamp.read_bytes() != b"old\n"


def test_unknown_builtin_is_refused():
    from artforge.errors import UserError

    with pytest.raises(UserError, match="no built-in music 'folk-bands'"):
        music_splits("builtin:folk-bands")
