"""Decoding constraints as masks of allowed next tokens: the tokenizer's grammar first (so a
sequence can always be decoded), then the user's controls (key, pitch range, notes per bar).

A control never leaves nothing to choose: when it would, it is relaxed for that one step, so
decoding cannot get stuck or crash.
"""

import dataclasses

import miditok
import torch

from artforge.core.config import Config, require

NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLATS = {"Db": "C#", "Eb": "D#", "Gb": "F#", "Ab": "G#", "Bb": "A#"}
MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10, 11)
"""Natural minor plus the raised seventh, the leading tone every minor-key chorale uses."""
NEVER = {"PAD", "BOS", "EOS", "MASK", "PitchDrum", "DrumOn", "DrumOff", "Program"}
PITCH_TYPES = ("Pitch", "NoteOn")


def parse_key(key: str) -> tuple[int, bool]:
    """Tonic pitch class and whether minor, of "C major", "f# minor", "Bb major"...; raises
    ValueError when unknown."""
    parts = key.replace("-", " ").split()
    if len(parts) != 2 or parts[1].lower() not in ("major", "minor"):
        raise ValueError(key)
    tonic = parts[0][0].upper() + parts[0][1:]
    tonic = FLATS.get(tonic, tonic)
    if tonic not in NOTE_NAMES:
        raise ValueError(key)
    return NOTE_NAMES.index(tonic), parts[1].lower() == "minor"


MAJOR_TONICS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MINOR_TONICS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")
"""Each key's tonic as key signatures spell it (B-flat major, not A-sharp major)."""


def key_name(tonic: int, minor: bool) -> str:
    """"Bb major", "C# minor"...: the key of tonic pitch class `tonic`, spelt as usual."""
    tonics, mode = (MINOR_TONICS, "minor") if minor else (MAJOR_TONICS, "major")
    return f"{tonics[tonic % 12]} {mode}"


def scale_pitch_classes(key: str) -> set[int]:
    """Pitch classes of "C major", "f# minor", "Bb major"...; raises ValueError when unknown."""
    root, minor = parse_key(key)
    return {(root + step) % 12 for step in (MINOR if minor else MAJOR)}


@dataclasses.dataclass
class Controls(Config):
    key: str | None = None
    """Keep every note in this key's scale, e.g. "C major", "A minor"."""
    low: int = 21
    high: int = 108
    max_notes_per_bar: int = 0
    """0: no limit."""
    min_notes_per_bar: int = 0
    program: int = 0
    """General MIDI instrument the continuation is written for (0 = piano)."""

    def validate(self) -> None:
        key_ok = True
        if self.key is not None:
            try:
                scale_pitch_classes(self.key)
            except ValueError:
                key_ok = False
        require([
            (key_ok, f"--key {self.key!r} is not a key; write it like 'C major' or 'F# minor'"),
            (0 <= self.low <= self.high <= 127, "--low and --high must be MIDI pitches with "
             "low <= high"),
            (self.max_notes_per_bar >= 0 and self.min_notes_per_bar >= 0,
             "notes per bar must be 0 (off) or more"),
            (not self.max_notes_per_bar or self.min_notes_per_bar <= self.max_notes_per_bar,
             "--min-notes-per-bar must not exceed --max-notes-per-bar"),
            (0 <= self.program <= 127, "--program must be a General MIDI program, 0 to 127"),
        ])


def _time_value(token: str) -> float:
    """Beats of a "TimeShift_1.2.8" / "Position_5" value: beats.ticks.ticks_per_beat."""
    value = token.split("_", 1)[1]
    if "." in value:
        beats, ticks, resolution = (int(v) for v in value.split("."))
        return beats + ticks / resolution
    return float(value)


class Grammar:
    """What each token id means, and the state of a sequence being decoded."""

    def __init__(self, tokenizer: miditok.MusicTokenizer) -> None:
        vocab = tokenizer.vocab
        self.size = len(vocab)
        self.names = [""] * self.size
        for name, index in vocab.items():
            self.names[index] = name
        self.types = [name.split("_", 1)[0] for name in self.names]
        self.graph = {kind: set(nexts) for kind, nexts in tokenizer.tokens_types_graph.items()}
        self.pitch = torch.full((self.size,), -1)
        for index, name in enumerate(self.names):
            if self.types[index] in PITCH_TYPES + ("NoteOff",):
                self.pitch[index] = int(name.split("_")[1])
        self.by_type: dict[str, torch.Tensor] = {}
        for kind in set(self.types):
            self.by_type[kind] = torch.tensor([t == kind for t in self.types])
        self.position = torch.tensor([_time_value(n) if t == "Position" else -1.0
                                      for n, t in zip(self.names, self.types, strict=True)])
        self.resolution = int(tokenizer.config.beat_res.get((0, 4), 4))

    def mask_of(self, kinds: set[str]) -> torch.Tensor:
        mask = torch.zeros(self.size, dtype=torch.bool)
        for kind in kinds - NEVER:
            if kind in self.by_type:
                mask |= self.by_type[kind]
        return mask


@dataclasses.dataclass
class DecodeState:
    """Where a sequence is: the last token's type, bars started, position and notes in the bar,
    and (MIDILike) which pitches sound."""

    last_type: str = "BOS"
    bars: int = 0
    position: float = -1.0
    beats: float = 0.0
    notes_in_bar: int = 0
    sounding: set[int] = dataclasses.field(default_factory=set)

    def advance(self, grammar: Grammar, token: int) -> None:
        kind, name = grammar.types[token], grammar.names[token]
        if kind == "Bar":
            self.bars, self.position, self.notes_in_bar = self.bars + 1, -1.0, 0
        elif kind == "Position":
            self.position = float(grammar.position[token])
        elif kind == "TimeShift":
            bar_before = int(self.beats // 4)
            self.beats += _time_value(name)
            if int(self.beats // 4) != bar_before:
                self.bars, self.notes_in_bar = self.bars + int(self.beats // 4) - bar_before, 0
        elif kind in PITCH_TYPES:
            self.notes_in_bar += 1
            self.sounding.add(int(grammar.pitch[token]))
        elif kind == "NoteOff":
            self.sounding.discard(int(grammar.pitch[token]))
        self.last_type = kind


def allowed_next(grammar: Grammar, state: DecodeState, controls: Controls) -> torch.Tensor:
    """Bool mask (vocab,) of tokens that may come next."""
    nexts = grammar.graph.get(state.last_type, set())
    if state.last_type == "BOS" and "Bar" in grammar.by_type:
        nexts = {"Bar"}
    allowed = grammar.mask_of(nexts)
    if not bool(allowed.any()):
        allowed = grammar.mask_of(set(grammar.types))
    is_pitch = grammar.mask_of(set(PITCH_TYPES))
    steps = [
        (grammar.by_type.get("Position", is_pitch & False) & (grammar.position <= state.position)),
        (grammar.by_type.get("NoteOff", is_pitch & False)
         & ~torch.isin(grammar.pitch, torch.tensor(sorted(state.sounding), dtype=torch.long))),
        is_pitch & ((grammar.pitch < controls.low) | (grammar.pitch > controls.high)),
    ]
    if "NoteOff" in grammar.by_type:  # MIDILike: a sounding pitch is ended before it restarts
        sounding = torch.tensor(sorted(state.sounding), dtype=torch.long)
        steps.append(is_pitch & torch.isin(grammar.pitch, sounding))
    if controls.key is not None:
        classes = torch.tensor(sorted(scale_pitch_classes(controls.key)))
        steps.append(is_pitch & ~torch.isin(grammar.pitch % 12, classes))
    if controls.max_notes_per_bar and state.notes_in_bar >= controls.max_notes_per_bar:
        steps.append(is_pitch | grammar.by_type.get("Position", is_pitch & False))
    if controls.min_notes_per_bar and state.notes_in_bar < controls.min_notes_per_bar:
        steps.append(grammar.by_type.get("Bar", is_pitch & False))
    for banned in steps:
        narrowed = allowed & ~banned
        if bool(narrowed.any()):
            allowed = narrowed
    return allowed
