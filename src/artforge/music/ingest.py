"""Reading a folder of music: every file becomes one merged piano track of tokens, or a reason
why it was skipped. Tokens are cached per file content and tokenizer, so a second run is quick.
"""

import dataclasses
import hashlib
import json
from pathlib import Path

import miditok
import symusic

from artforge.core.atomic import write_text
from artforge.errors import UserError
from artforge.music.tokens import tokenizer_id

MIDI_SUFFIXES = (".mid", ".midi")
MUSIC21_SUFFIXES = (".xml", ".musicxml", ".mxl", ".abc", ".krn")
MIN_TOKENS = 8


class SkipFile(Exception):
    """A file that cannot be used; the message is the reason shown in the skip report."""


@dataclasses.dataclass
class Piece:
    path: Path
    ids: list[int]


@dataclasses.dataclass
class Corpus:
    pieces: list[Piece]
    skipped: list[tuple[Path, str]]

    def report(self) -> str:
        lines = [f"{len(self.pieces)} pieces used, {len(self.skipped)} skipped"]
        lines += [f"  skipped {path.name}: {reason}" for path, reason in self.skipped]
        return "\n".join(lines)


def music_files(folder: Path) -> list[Path]:
    """The music files under `folder` (or `folder` itself when it is a file), sorted."""
    folder = Path(folder)
    if not folder.exists():
        raise UserError(f"{folder} does not exist.")
    suffixes = MIDI_SUFFIXES + MUSIC21_SUFFIXES
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def read_score(path: Path) -> symusic.Score:
    """The file as a Score with one non-drum track holding every pitched note.

    Raises SkipFile with a reason for empty, unreadable, drum-only and note-less files."""
    score = read_tracks(path)
    pitched = [track for track in score.tracks if not track.is_drum]
    if not pitched:
        raise SkipFile("only drum tracks")
    merged = symusic.Track(program=pitched[0].program, is_drum=False)
    for track in pitched:
        merged.notes.extend(track.notes)
    merged.notes.sort(key=lambda note: (note.time, note.pitch))
    if not len(merged.notes):
        raise SkipFile("no notes")
    score.tracks = symusic.core.TrackTickList([merged])
    return score


def read_tracks(path: Path) -> symusic.Score:
    """The file (MIDI, or any format music21 reads) with its tracks kept apart.

    Raises SkipFile with a reason for empty, unreadable and note-less files."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise SkipFile("zero-length file")
    score = _parse(path)
    if not any(len(track.notes) for track in score.tracks):
        raise SkipFile("no notes")
    return score


def _parse(path: Path) -> symusic.Score:
    if path.suffix.lower() in MIDI_SUFFIXES:
        try:
            return symusic.Score(path)
        except Exception as exc:  # symusic raises RuntimeError / ValueError for any damage
            raise SkipFile(f"not a readable MIDI file ({str(exc).splitlines()[0][:80]})") from None
    try:
        import music21

        parsed = music21.converter.parse(path)
        data = music21.midi.translate.music21ObjectToMidiFile(parsed).writestr()
        return symusic.Score.from_midi(data)
    except Exception as exc:  # music21 raises many kinds of errors on bad input
        raise SkipFile(f"music21 cannot read it ({type(exc).__name__})") from None


def encode_score(tokenizer: miditok.MusicTokenizer, score: symusic.Score) -> list[int]:
    """Token ids of a one-track score, BPE applied when the tokenizer has learned it."""
    encoded = tokenizer.encode(score)
    sequence = encoded[0] if isinstance(encoded, list) else encoded
    return list(sequence.ids)


def tokenise_file(path: Path, tokenizer: miditok.MusicTokenizer) -> list[int]:
    ids = encode_score(tokenizer, read_score(path))
    if len(ids) < MIN_TOKENS:
        raise SkipFile("no notes in the piano's range")
    return ids


def tokenise(paths: list[Path], tokenizer: miditok.MusicTokenizer,
             cache_dir: Path | None = None) -> Corpus:
    """Tokenise every file, skipping bad ones with a reason; results are cached by content."""
    key = tokenizer_id(tokenizer)
    pieces, skipped = [], []
    for path in paths:
        cache = None
        if cache_dir is not None:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]
            cache = Path(cache_dir) / key / f"{digest}.json"
        entry = _cached(cache)
        if entry is None:
            try:
                entry = {"ids": tokenise_file(path, tokenizer)}
            except SkipFile as exc:
                entry = {"skip": str(exc)}
            if cache is not None:
                write_text(cache, json.dumps(entry))
        if "skip" in entry:
            skipped.append((Path(path), entry["skip"]))
        else:
            pieces.append(Piece(Path(path), entry["ids"]))
    return Corpus(pieces, skipped)


def _cached(cache: Path | None) -> dict | None:
    if cache is None or not cache.is_file():
        return None
    try:
        return json.loads(cache.read_text())
    except (OSError, json.JSONDecodeError):
        return None
