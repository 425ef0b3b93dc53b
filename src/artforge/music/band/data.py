"""Band passages from music data: every 4-bar window in which each of the model's tracks plays
in every bar. builtin:bach gives the chorales as soprano/alto/tenor/bass bands."""

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
from torch.utils.data import Dataset

from artforge.errors import UserError
from artforge.music.band.tracks import Passage, assign, passages
from artforge.music.datasets import training_splits
from artforge.music.ingest import SkipFile, read_tracks

LOW, HIGH = 24, 107
"""The 84 pitches of MuseGAN's piano rolls (C1 to B7): transposition keeps notes inside."""


def file_passages(files: Sequence[Path], names: Sequence[str], bars: int
                  ) -> tuple[list[Passage], list[tuple[Path, str]]]:
    found: list[Passage] = []
    skipped = []
    for path in files:
        try:
            tracks = assign(read_tracks(path), names)
        except SkipFile as exc:
            skipped.append((Path(path), str(exc)))
            continue
        missing = [name for name in names if name not in tracks]
        if missing:
            skipped.append((Path(path), f"no {', '.join(missing)} track"))
            continue
        windows = passages(tracks, names, bars)
        if not windows:
            skipped.append((Path(path), f"no {bars} bars in which every track plays"))
        found += windows
    return found, skipped


@dataclasses.dataclass
class BandData:
    train: list[Passage]
    validation: list[Passage]
    skipped: list[tuple[Path, str]]
    note: str

    def report(self) -> str:
        lines = [f"{len(self.train)} training and {len(self.validation)} held-out passages; "
                 f"{len(self.skipped)} files skipped"]
        lines += [f"  skipped {path.name}: {reason}" for path, reason in self.skipped[:10]]
        if len(self.skipped) > 10:
            lines.append(f"  ... and {len(self.skipped) - 10} more")
        return "\n".join(lines)


def band_data(data: str, names: Sequence[str], bars: int) -> BandData:
    splits = training_splits(data)
    train, skipped = file_passages(splits.train, names, bars)
    held, held_skipped = file_passages(splits.validation, names, bars)
    if not train:
        first = f" (e.g. {skipped[0][0].name}: {skipped[0][1]})" if skipped else ""
        raise UserError(f"{data} has no {bars}-bar passage with the tracks "
                        f"{', '.join(names)}{first}.")
    return BandData(train, held, skipped + held_skipped,
                    f"{splits.note}, {bars}-bar bands of {'/'.join(names)}")


def pitch_ranges(passages_: Sequence[Passage], tracks: int, transpose: int) -> tuple[int, ...]:
    """Lowest and highest pitch of each track, widened by the transposition (flat pairs)."""
    flat: list[int] = []
    for index in range(tracks):
        pitches = [p for passage in passages_ for _, _, p in passage[index]]
        flat += [max(0, min(pitches) - transpose), min(127, max(pitches) + transpose)]
    return tuple(flat)


def transpose_passage(passage: Passage, shift: int, drums: Sequence[bool]) -> Passage:
    """Pitched tracks moved by `shift` semitones, or all unchanged if a note would leave
    [LOW, HIGH]."""
    moved = [[(s, n, p + (0 if drum else shift)) for s, n, p in notes]
             for notes, drum in zip(passage, drums, strict=True)]
    inside = all(LOW <= p <= HIGH for notes, drum in zip(moved, drums, strict=True)
                 if not drum for _, _, p in notes)
    return moved if inside else passage


class BandPassages(Dataset):
    """Passages, made into batches by the model's `batch_of`, each transposed at random by up
    to `transpose` semitones (torch's global RNG: reproducible and resumable)."""

    def __init__(self, passages_: list[Passage], batch_of: Callable[[list[Passage]], object],
                 drums: Sequence[bool], transpose: int = 0) -> None:
        self.passages, self.batch_of = passages_, batch_of
        self.drums, self.transpose = list(drums), transpose

    def __len__(self) -> int:
        return len(self.passages)

    def __getitem__(self, index: int) -> object:
        return self.batch_of([self.passages[index]])

    def __getitems__(self, indices: list[int]) -> object:
        chosen = [self.passages[i] for i in indices]
        if self.transpose:
            shifts = torch.randint(-self.transpose, self.transpose + 1, (len(chosen),)).tolist()
            chosen = [transpose_passage(p, s, self.drums)
                      for p, s in zip(chosen, shifts, strict=True)]
        return self.batch_of(chosen)
