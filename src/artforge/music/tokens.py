"""miditok tokenizers: which ones artforge offers, their shared settings, and saving them."""

import hashlib
import tempfile
from pathlib import Path

import miditok

from artforge.errors import UserError

TOKENIZERS = ("REMI", "TSD", "MIDILike", "Structured")
TOKENIZER_FILE = "tokenizer.json"
PITCH_RANGE = (21, 109)
"""The 88 keys of a piano (miditok's range is end-exclusive)."""


def make_tokenizer(name: str = "REMI") -> miditok.MusicTokenizer:
    """A fresh tokenizer: one merged track, 16th-note positions in the first four beats of a
    note's length, 8 velocity levels, PAD/BOS/EOS as the only special tokens."""
    if name not in TOKENIZERS:
        raise UserError(f"unknown tokenizer {name!r}; choose one of {', '.join(TOKENIZERS)}.")
    config = miditok.TokenizerConfig(
        pitch_range=PITCH_RANGE, num_velocities=8, beat_res={(0, 4): 4, (4, 12): 2},
        use_programs=False, special_tokens=["PAD", "BOS", "EOS"])
    return getattr(miditok, name)(config)


def tokenizer_bytes(tokenizer: miditok.MusicTokenizer) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / TOKENIZER_FILE
        tokenizer.save(path)
        return path.read_bytes()


def load_tokenizer(name: str, path: Path) -> miditok.MusicTokenizer:
    if name not in TOKENIZERS:
        raise UserError(f"{path} names tokenizer {name!r}, which artforge does not know.")
    if not Path(path).is_file():
        raise UserError(f"{Path(path).parent} has no {TOKENIZER_FILE}; it is not a music model.")
    return getattr(miditok, name)(params=Path(path))


def tokenizer_id(tokenizer: miditok.MusicTokenizer) -> str:
    """A short hash of the tokenizer's settings and vocabulary: the key of token caches."""
    return hashlib.sha256(tokenizer_bytes(tokenizer)).hexdigest()[:16]


def train_bpe(tokenizer: miditok.MusicTokenizer, files: list[Path], vocab_size: int) -> None:
    """Learn byte-pair merges of the base tokens from `files` (MidiTok's BPE)."""
    if vocab_size <= len(tokenizer):
        raise UserError(f"--bpe must be larger than the base vocabulary ({len(tokenizer)}).")
    tokenizer.train(vocab_size=vocab_size, model="BPE", files_paths=[Path(f) for f in files])
