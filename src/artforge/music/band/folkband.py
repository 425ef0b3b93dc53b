"""`builtin:folk-band`: each Essen folk song of `builtin:folk` arranged by rule (arrange.py)
for melody, piano, bass and drums, written as a four-track MIDI file in the same
train/validation/test part as the song. Made once (seconds) in the user cache."""

import random
from pathlib import Path

import symusic

from artforge.core.atomic import atomic_folder
from artforge.music.band.arrange import Style, arrange
from artforge.music.band.metre import Metre, normal_metre, pickup_steps
from artforge.music.band.tracks import Note, grid_notes
from artforge.music.datasets import CACHE_VERSION, builtin_splits, cache_dir
from artforge.music.melody import STEPS_PER_BEAT, TPQ

VERSION = b"folk-band 1\n"
"""Bump when the arrangement changes, so that old caches are made again."""
SEED = 0
TRACKS = ("melody", "piano", "bass", "drums")
PROGRAMS = {"melody": 73, "piano": 0, "bass": 33, "drums": 0}
"""Flute, grand piano, fingered bass and the drum channel."""
VELOCITIES = {"melody": 90, "piano": 62, "bass": 84, "drums": 80}
ACCENT = 14
"""Louder on the first beat of a bar."""


def tune_notes(score: symusic.Score) -> tuple[list[Note], Metre]:
    """The tune's first pitched track on the 16th grid, in its metre with a quarter or
    eighth denominator, moved so that bar lines fall on multiples of the bar (a pickup ends
    bar 0)."""
    signature = (score.time_signatures[0] if len(score.time_signatures)
                 else symusic.TimeSignature(0, 4, 4))
    metre, scale = normal_metre(signature.numerator, signature.denominator)
    pitched = [track for track in score.tracks if not track.is_drum and len(track.notes)]
    if not pitched:
        raise ValueError("no pitched notes")
    notes = grid_notes(pitched[0], round(score.tpq / scale))
    shift = (metre.bar - pickup_steps(notes, metre)) % metre.bar
    return [(s + shift, n, p) for s, n, p in notes], metre


def band_score(parts: dict[str, list[Note]], metre: Metre, tempo: int) -> symusic.Score:
    score = symusic.Score(TPQ)
    score.time_signatures.append(symusic.TimeSignature(0, metre.numerator, metre.denominator))
    score.tempos.append(symusic.Tempo(0, tempo))
    tick = TPQ // STEPS_PER_BEAT
    for name in TRACKS:
        track = symusic.Track(name=name.capitalize(), program=PROGRAMS[name],
                              is_drum=name == "drums")
        for start, steps, pitch in parts[name]:
            velocity = VELOCITIES[name] + ACCENT * (start % metre.bar == 0)
            track.notes.append(symusic.Note(start * tick, steps * tick, pitch, velocity))
        score.tracks.append(track)
    return score


def arrange_tune(score: symusic.Score, rng: random.Random) -> symusic.Score:
    """The tune with piano, bass and drums in styles drawn from `rng`, at a drawn tempo."""
    melody, metre = tune_notes(score)
    parts = {"melody": melody, **arrange(melody, metre, Style.draw(rng))}
    return band_score(parts, metre, rng.randrange(88, 128, 4))


def folk_band_root(limit: int | None = None) -> Path:
    """The folder of the arranged songs (train/, validation/, test/), made if missing or
    stale; with `limit` only the first songs of builtin:folk, and the folder is not marked
    complete, so that the next full call makes it again."""
    root = cache_dir() / "builtin" / "folk-band"
    stamp = VERSION + CACHE_VERSION
    done = root / ".complete"
    if done.is_file() and done.read_bytes() == stamp:
        return root
    folk = builtin_splits("folk", limit)
    with atomic_folder(root) as tmp:
        for part, files in (("train", folk.train), ("validation", folk.validation),
                            ("test", folk.test)):
            (tmp / part).mkdir()
            for path in files:
                rng = random.Random(f"{SEED}:{path.stem}")  # a song's style follows its name
                try:
                    band = arrange_tune(symusic.Score(path), rng)
                except ValueError:  # no notes, or shorter than a bar
                    continue
                band.dump_midi(tmp / part / path.name)
        if limit is None:
            (tmp / ".complete").write_bytes(stamp)
    return root
