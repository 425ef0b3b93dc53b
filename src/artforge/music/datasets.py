"""Music data sets: a user's folder (split by a hash of each file name) or a built-in corpus
from music21 (`builtin:bach`, `builtin:folk`), converted once to MIDI files in the user cache.
"""

import dataclasses
import hashlib
import re
from importlib import resources
from pathlib import Path

from artforge.core.atomic import write_bytes
from artforge.data.cache import cache_dir as shared_cache_dir
from artforge.errors import UserError

BUILTINS = ("bach", "folk", "folk-band")
CACHE_VERSION = b"3\n"
"""Bump when the conversion changes, so that old caches are made again."""
VOICES = ("Soprano", "Alto", "Tenor", "Bass")
SHIPPED_BACH = Path(str(resources.files("artforge.assets") / "bach"))
"""The chorales as converted by `_convert_builtin` (music21 10.5, CACHE_VERSION 2), shipped so
that a fresh install needs no ten-minute music21 parse; see its SOURCES.md."""
FOLK_TUNES = 600
"""Tunes taken from music21's Essen collection: parsing ABC is slow, and 600 is plenty."""


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
                        "builtin:folk or builtin:folk-band.")
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
    """Write each work of the corpus as a MIDI file under root/<part>/ (slow: music21)."""
    import music21

    for stem, part, score in _corpus_scores(name, limit):
        target = root / part / f"{stem}.mid"
        if target.is_file():
            continue
        try:
            data = music21.midi.translate.music21ObjectToMidiFile(score).writestr()
        except Exception:  # a handful of corpus files do not translate; leave them out
            continue
        write_bytes(target, sung_parts(data))


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


def _corpus_scores(name: str, limit: int | None):
    from music21 import converter, corpus

    if name == "bach":
        paths = [p for p in corpus.getComposer("bach") if re.match(r"bwv\d", Path(p).name)]
        for path in paths[:limit]:
            stem = Path(path).name.rsplit(".", 1)[0].replace(".", "_")
            try:
                yield stem, bwv_part(Path(path)), corpus.parse(path)
            except Exception:  # skip the rare corpus file music21 cannot parse
                continue
        return
    tunes = 0
    for path in sorted(corpus.getPaths(fileExtensions=("abc",))):
        if "essenFolksong" not in str(path):
            continue
        for number, text in enumerate(abc_tunes(Path(path).read_text(errors="replace"))):
            if tunes >= (FOLK_TUNES if limit is None else limit):
                return
            try:
                score = converter.parseData(text, format="abc")
            except Exception:  # a tune music21 cannot read is left out
                continue
            tunes += 1
            part = {8: "validation", 9: "test"}.get(tunes % 10, "train")
            yield f"{Path(path).stem}_{number:04d}", part, score


def abc_tunes(text: str) -> list[str]:
    """The tunes of an ABC file, each from its `X:` line; parsing them one by one is much
    faster than parsing the whole collection."""
    starts = [m.start() for m in re.finditer(r"^X:", text, flags=re.MULTILINE)]
    return [text[a:b].strip() + "\n" for a, b in zip(starts, starts[1:] + [len(text)],
                                                      strict=True)]
