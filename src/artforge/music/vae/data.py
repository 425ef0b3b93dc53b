"""Melody windows from any music data (a folder, a file, builtin:bach, builtin:folk): the
highest voice of every track, cut into windows of the model's length, transposed at random
while training."""

import dataclasses
from collections.abc import Callable
from pathlib import Path

import torch
from torch.utils.data import Dataset

from artforge.errors import UserError
from artforge.music.datasets import training_splits
from artforge.music.ingest import SkipFile, read_tracks
from artforge.music.melody import VOCAB, score_melodies, windows


def file_melodies(path: Path) -> list[list[int]]:
    """The highest voice of each pitched track of the file at `path`."""
    score = read_tracks(path)
    melodies = score_melodies(score)
    if not melodies:
        raise SkipFile("only drum tracks" if all(t.is_drum for t in score.tracks if len(t.notes))
                       else "no notes in the piano's range")
    return melodies


def melody_windows(files: list[Path], bars: int) -> tuple[torch.Tensor, list[tuple[Path, str]]]:
    """Windows (count, bars * 16) of every file's melodies, and the files skipped with why."""
    rows: list[list[int]] = []
    skipped = []
    for path in files:
        try:
            melodies = file_melodies(path)
        except SkipFile as exc:
            skipped.append((Path(path), str(exc)))
            continue
        found = [w for melody in melodies for w in windows(melody, bars)]
        if not found:
            skipped.append((Path(path), f"no stretch of {bars} bars with two notes a bar"))
        rows.extend(found)
    length = bars * 16
    data = torch.tensor(rows, dtype=torch.long) if rows else torch.zeros(0, length,
                                                                         dtype=torch.long)
    return data, skipped


@dataclasses.dataclass
class MelodyData:
    train: torch.Tensor
    validation: torch.Tensor
    skipped: list[tuple[Path, str]]
    note: str

    def report(self) -> str:
        lines = [f"{len(self.train)} training and {len(self.validation)} held-out melody "
                 f"windows; {len(self.skipped)} files skipped"]
        lines += [f"  skipped {path.name}: {reason}" for path, reason in self.skipped[:20]]
        return "\n".join(lines)


def melody_data(data: str, bars: int) -> MelodyData:
    """Training and held-out windows of `data` (builtin data: its validation part)."""
    splits = training_splits(data)
    train, skipped = melody_windows(splits.train, bars)
    held, held_skipped = melody_windows(splits.validation, bars)
    if not len(train):
        first = f" (e.g. {skipped[0][0].name}: {skipped[0][1]})" if skipped else ""
        raise UserError(f"{data} has no melody of {bars} bars with two notes a bar{first}.")
    return MelodyData(train, held, skipped + held_skipped,
                      f"{splits.note}, {bars}-bar melodies")


class MelodyWindows(Dataset):
    """Melody windows; `transpose` > 0 shifts each by a random number of semitones in
    [-transpose, transpose] where every note stays on the keyboard (torch's global RNG, so that
    training is reproducible and resumable)."""

    def __init__(self, rows: torch.Tensor, transpose: int = 0) -> None:
        self.rows, self.transpose = rows, transpose

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> torch.Tensor:
        return self.rows[index]

    def __getitems__(self, indices: list[int]) -> torch.Tensor:
        batch = self.rows[torch.as_tensor(indices)]
        return transposed(batch, self.transpose) if self.transpose else batch


class PhraseCodes(Dataset):
    """The training data of a model built on phrases: the short model's codes (mu and sigma)
    of each window's phrases, for every transposition in [-transpose, transpose], computed once
    (each distinct phrase once), so that training steps need not run the short encoder. A
    batch (batch, 2, phrases, latent) holds mu and sigma, transposed at random with the same
    draws MelodyWindows makes."""

    def __init__(self, rows: torch.Tensor, transpose: int,
                 encode: Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor]],
                 phrase_steps: int, chunk: int = 1024) -> None:
        self.transpose = transpose
        variants = torch.stack([transpose_by(rows, torch.full((len(rows), 1), shift))
                                for shift in range(-transpose, transpose + 1)], dim=1)
        unique, inverse = torch.unique(variants.reshape(-1, phrase_steps), dim=0,
                                       return_inverse=True)
        with torch.no_grad():
            self.codes = torch.cat([torch.stack(encode(part), dim=1)
                                    for part in unique.split(chunk)])  # (distinct, 2, latent)
        self.index = inverse.view(len(rows), 2 * transpose + 1, -1)

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, index: int) -> torch.Tensor:
        return self.__getitems__([index])[0]

    def __getitems__(self, indices: list[int]) -> torch.Tensor:
        if self.transpose:
            shifts = torch.randint(-self.transpose, self.transpose + 1, (len(indices),))
        else:
            shifts = torch.zeros(len(indices), dtype=torch.long)
        phrases = self.index[torch.as_tensor(indices), shifts + self.transpose]
        return self.codes[phrases].transpose(1, 2)


def transposed(batch: torch.Tensor, most: int) -> torch.Tensor:
    return transpose_by(batch, torch.randint(-most, most + 1, (len(batch), 1)))


def transpose_by(batch: torch.Tensor, shifts: torch.Tensor) -> torch.Tensor:
    """Each window moved by its shift (batch, 1) semitones, or left as it is where a note
    would leave the keyboard."""
    is_note = batch >= 2
    moved = batch + shifts
    fits = (~is_note | ((moved >= 2) & (moved < VOCAB))).all(dim=1, keepdim=True)
    return torch.where(is_note & fits, moved, batch)
