"""Music data sets: a user's folder (split by a hash of each file name) or a built-in corpus
from music21 (`builtin:bach`, `builtin:folk`, `builtin:oneill`), converted once to MIDI files in
the user cache.
"""

import contextlib
import dataclasses
import hashlib
import os
import re
import sys
from importlib import resources
from pathlib import Path

from artforge.core.atomic import write_bytes
from artforge.data.cache import cache_dir as shared_cache_dir
from artforge.errors import UserError

BUILTINS = ("bach", "folk", "folk-band", "oneill")
CACHE_VERSION = b"4\n"
"""Bump when the conversion changes, so that old caches are made again."""
VOICES = ("Soprano", "Alto", "Tenor", "Bass")
SHIPPED_BACH = Path(str(resources.files("artforge.assets") / "bach"))
"""The chorales as converted by `_convert_builtin` (music21 10.5, CACHE_VERSION 2), shipped so
that a fresh install needs no ten-minute music21 parse; see its SOURCES.md."""
FOLK_SOURCES = ("essenFolksong", "airdsAirs", "ryansMammoth", "miscFolk")
"""The folk collections music21 ships that make `builtin:folk`: the Essen songs (European and
Chinese), Aird's airs, Ryan's Mammoth Collection and two smaller books."""
HELD_OUT = "oneills1850"
"""O'Neill's collection: `builtin:oneill`, kept for evaluation. Tunes of the other collections
with the same title or the same opening are left out of `builtin:folk`."""
HELD_OUT_NAME = "oneill"


@dataclasses.dataclass
class MusicSplits:
    train: list[Path]
    validation: list[Path]
    test: list[Path]
    note: str
    """What the data is, for the checkpoint card and the resume check."""


def cache_dir() -> Path:
    return shared_cache_dir("music")


def music_splits(data: str) -> MusicSplits:
    """The files of `data` (a folder, a file or builtin:NAME) split into train/validation/test."""
    if data.startswith("builtin:"):
        return builtin_splits(data.removeprefix("builtin:"))
    from artforge.music.ingest import music_files

    files = music_files(Path(data))
    if not files:
        raise UserError(f"{data} holds no .mid, .midi, MusicXML or ABC files.")
    return MusicSplits(*hash_split(files), note=f"{data} ({len(files)} files)")


def training_splits(data: str) -> MusicSplits:
    """`music_splits` for a training run, which refuses the data kept for evaluation."""
    if data == f"builtin:{HELD_OUT_NAME}":
        raise UserError(f"{data} is held out for evaluation (music eval); train on builtin:folk "
                        "or your own folder.")
    return music_splits(data)


def hash_split(files: list[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """About one file in ten for validation, chosen by a hash of its name (stable as files are
    added); none when there is a single file. User folders have no test part."""
    if len(files) < 2:
        return list(files), [], []
    ranked = sorted(files, key=lambda p: hashlib.sha256(p.name.encode()).hexdigest())
    held = set(ranked[:max(1, len(files) // 10)])
    return [f for f in files if f not in held], [f for f in files if f in held], []


def bwv_part(path: Path) -> str:
    """The split of a Bach chorale by its BWV number: ...8 validation, ...9 test, else train."""
    match = re.match(r"bwv(\d+)", path.name)
    last = int(match.group(1)) % 10 if match else 0
    return {8: "validation", 9: "test"}.get(last, "train")


def builtin_splits(name: str, limit: int | None = None) -> MusicSplits:
    if name not in BUILTINS:
        raise UserError(f"there is no built-in music {name!r}; choose builtin:bach, "
                        "builtin:folk, builtin:folk-band or builtin:oneill.")
    if name == "folk-band":  # the folk songs arranged for a band (artforge.music.band)
        from artforge.music.band.folkband import folk_band_root

        return folder_splits(folk_band_root(limit), name)
    root = cache_dir() / "builtin" / name
    if name == "bach" and limit is None:
        root = SHIPPED_BACH  # converted once by this module, shipped in the package
    done = root / ".complete"
    if root != SHIPPED_BACH and (not done.is_file() or done.read_bytes() != CACHE_VERSION):
        _convert_builtin(name, root, limit)
        if limit is None:
            write_bytes(done, CACHE_VERSION)
    return folder_splits(root, name)


def folder_splits(root: Path, name: str) -> MusicSplits:
    """The MIDI files of a built-in corpus, in the parts its subfolders name."""
    parts: dict[str, list[Path]] = {"train": [], "validation": [], "test": []}
    for path in sorted(root.glob("*/*.mid")):
        parts[path.parent.name].append(path)
    note = f"builtin:{name} ({sum(map(len, parts.values()))} pieces)"
    return MusicSplits(parts["train"], parts["validation"], parts["test"], note=note)


def _convert_builtin(name: str, root: Path, limit: int | None) -> None:
    """Write each work of the corpus as a MIDI file under root/<part>/: the chorales through
    music21 (slow, hence shipped), the folk tunes through symusic's ABC reader (abcMIDI's, which
    plays repeats out; some 4 ms a tune)."""
    if name == "bach":
        import music21

        for stem, part, score in _chorales(limit):
            try:
                data = music21.midi.translate.music21ObjectToMidiFile(score).writestr()
            except Exception:  # a handful of corpus files do not translate; leave them out
                continue
            write_bytes(root / part / f"{stem}.mid", sung_parts(data))
        return
    tunes = folk_tunes(HELD_OUT) if name == "oneill" else _folk_training_tunes()
    with silenced_output():
        for stem, text in tunes[:limit]:
            data = abc_midi(text)
            if data is not None:
                part = "test" if name == "oneill" else hash_part(stem)
                write_bytes(root / part / f"{stem}.mid", data)


def hash_part(stem: str) -> str:
    """The part of a folk tune, by a hash of its name: one in ten validation, one in ten test."""
    last = int(hashlib.sha256(stem.encode()).hexdigest(), 16) % 10
    return {8: "validation", 9: "test"}.get(last, "train")


def abc_midi(text: str) -> bytes | None:
    """One ABC tune as MIDI bytes, or None when it has no notes or cannot be read."""
    import symusic

    try:
        score = symusic.Score.from_abc(text)
    except Exception:  # a tune abcMIDI cannot read is left out
        return None
    if not score.tracks or not score.tracks[0].notes:
        return None
    return score.dumps_midi()


@contextlib.contextmanager
def silenced_output():
    """Send what C code prints to stdout and stderr (abcMIDI warns of every odd bar) to
    /dev/null while the block runs."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), 1)
        os.dup2(null.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved:
            os.close(fd)


def sung_parts(midi: bytes) -> bytes:
    """Keep only the four sung voices of a chorale, as in the JSB Chorales data; other files,
    and chorales without named voices, are left whole. music21 sometimes writes a voice twice,
    once empty: the track of each name with the most notes is the one kept."""
    import symusic

    score = symusic.Score.from_midi(midi)
    fullest: dict[str, int] = {}
    for index, track in enumerate(score.tracks):
        best = fullest.get(track.name)
        if best is None or len(track.notes) > len(score.tracks[best].notes):
            fullest[track.name] = index
    if not all(voice in fullest for voice in VOICES):
        return midi
    keep = sorted(fullest[voice] for voice in VOICES)
    score.tracks = symusic.core.TrackTickList([score.tracks[i] for i in keep])
    return score.dumps_midi()


def _chorales(limit: int | None):
    from music21 import corpus

    paths = [p for p in corpus.getComposer("bach") if re.match(r"bwv\d", Path(p).name)]
    for path in paths[:limit]:
        stem = Path(path).name.rsplit(".", 1)[0].replace(".", "_")
        try:
            yield stem, bwv_part(Path(path)), corpus.parse(path)
        except Exception:  # skip the rare corpus file music21 cannot parse
            continue


def folk_tunes(collection: str) -> list[tuple[str, str]]:
    """(name, ABC text) of each tune of one of music21's folk collections, in file order."""
    from music21 import corpus

    folder = Path(corpus.__file__).parent / collection
    tunes = []
    for path in sorted(folder.glob("*.abc")):
        texts = abc_tunes(path.read_text(errors="replace"))
        stem = re.sub(r"[^A-Za-z0-9_-]", "", path.stem)[:40]
        tunes += [(f"{collection}_{stem}_{n:04d}", text) for n, text in enumerate(texts)]
    return tunes


def _folk_training_tunes() -> list[tuple[str, str]]:
    """The tunes of FOLK_SOURCES, less any whose title or opening is also in O'Neill's."""
    held = folk_tunes(HELD_OUT)
    titles = {abc_title(text) for _, text in held} - {""}
    openings = {abc_opening(text) for _, text in held} - {""}
    return [(stem, text) for source in FOLK_SOURCES for stem, text in folk_tunes(source)
            if abc_title(text) not in titles and abc_opening(text) not in openings]


def abc_title(text: str) -> str:
    """The first title of an ABC tune, lower case, letters only ("The Rakes of Kildare" and
    "Rakes of Kildare, The" are one title)."""
    match = re.search(r"^T:(.*)$", text, flags=re.MULTILINE)
    if not match:
        return ""
    words = re.findall(r"[a-z]+", match.group(1).lower())
    return " ".join(sorted(w for w in words if w not in ("the", "a", "an", "reel", "jig")))


def abc_opening(text: str) -> str:
    """The first twelve note letters of the tune's body (octave marks, lengths, accidentals and
    ornaments dropped): the same tune in two books almost always opens alike."""
    body = re.split(r"^K:.*$", text, maxsplit=1, flags=re.MULTILINE)
    if len(body) < 2:
        return ""
    body = re.sub(r'"[^"]*"|![^!]*!|\{[^}]*\}|^[A-Za-z]:.*$', "", body[1], flags=re.MULTILINE)
    letters = re.findall(r"[A-Ga-g]", body)
    return "".join(letters[:12]).upper() if len(letters) >= 12 else ""


def abc_tunes(text: str) -> list[str]:
    """The tunes of an ABC file, each from its `X:` line; parsing them one by one is much
    faster than parsing the whole collection."""
    starts = [m.start() for m in re.finditer(r"^X:", text, flags=re.MULTILINE)]
    return [text[a:b].strip() + "\n" for a, b in zip(starts, starts[1:] + [len(text)],
                                                      strict=True)]
