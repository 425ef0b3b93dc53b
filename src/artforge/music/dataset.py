"""Training windows over tokenised pieces, with optional random transposition."""

import torch
from torch.utils.data import Dataset

from artforge.music.model import PAD_ID


def windows(pieces: list[list[int]], context: int, bos_id: int) -> torch.Tensor:
    """Every piece as BOS + tokens, cut into windows of context + 1 tokens overlapping by half;
    the last window of a piece is padded. Shape (windows, context + 1)."""
    size, stride = context + 1, max(1, context // 2)
    rows = []
    for ids in pieces:
        sequence = [bos_id, *ids]
        starts = range(0, max(1, len(sequence) - size + stride), stride)
        for start in starts:
            row = sequence[start:start + size]
            if len(row) < 2:
                continue
            rows.append(row + [PAD_ID] * (size - len(row)))
    if not rows:
        return torch.zeros(0, size, dtype=torch.long)
    return torch.tensor(rows, dtype=torch.long)


class TokenWindows(Dataset):
    """Windows of token ids; `transpose` > 0 shifts each window's pitches by a random number of
    semitones in [-transpose, transpose] (where every pitch stays in range), drawn from torch's
    global RNG so that training stays reproducible and resumable."""

    def __init__(self, pieces: list[list[int]], context: int, bos_id: int,
                 pitch_ids: torch.Tensor | None = None, transpose: int = 0) -> None:
        self.rows = windows(pieces, context, bos_id)
        self.transpose = transpose if pitch_ids is not None else 0
        self.pitch_ids = pitch_ids
        """Ids of Pitch_21, Pitch_22, ... in order (consecutive semitones)."""

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> torch.Tensor:
        return self.rows[index]

    def __getitems__(self, indices: list[int]) -> torch.Tensor:
        batch = self.rows[torch.as_tensor(indices)]
        return self._transposed(batch) if self.transpose else batch

    def _transposed(self, batch: torch.Tensor) -> torch.Tensor:
        shifts = torch.randint(-self.transpose, self.transpose + 1, (len(batch), 1))
        lookup = torch.full((int(batch.max()) + 1,), -1, dtype=torch.long)
        ids = self.pitch_ids[self.pitch_ids < len(lookup)]
        lookup[ids] = torch.arange(len(self.pitch_ids))[: len(ids)]
        semitone = lookup[batch]
        is_pitch = semitone >= 0
        moved = semitone + shifts
        fits = ((moved >= 0) & (moved < len(self.pitch_ids))) | ~is_pitch
        shifts = torch.where(fits.all(dim=1, keepdim=True), shifts, torch.zeros_like(shifts))
        moved = (semitone + shifts).clamp(0, len(self.pitch_ids) - 1)
        return torch.where(is_pitch, self.pitch_ids[moved], batch)
