"""Binary piano rolls (88 keys a frame), the representation of the JSB Chorales benchmark
(Boulanger-Lewandowski et al., 2012): one frame per quarter note, a key on when a note sounds
at the frame's start."""

import symusic
import torch
from torch.utils.data import Dataset

LOWEST, KEYS = 21, 88


def score_frames(score: symusic.Score, frames_per_beat: int = 1) -> torch.Tensor:
    """(frames, 88) float tensor of 0/1; onsets and ends are rounded to the nearest frame."""
    step = score.tpq / frames_per_beat
    notes = [n for t in score.tracks for n in t.notes if LOWEST <= n.pitch < LOWEST + KEYS]
    length = max((round((n.time + n.duration) / step) for n in notes), default=0)
    roll = torch.zeros(length, KEYS)
    for note in notes:
        start = round(note.time / step)
        end = max(start + 1, round((note.time + note.duration) / step))
        roll[start:end, note.pitch - LOWEST] = 1.0
    return roll


def frames_score(roll: torch.Tensor, frames_per_beat: int = 1, tpq: int = 480,
                 program: int = 0) -> symusic.Score:
    """The roll back as a score: a key held over consecutive frames is one note."""
    score = symusic.Score(tpq)
    track = symusic.Track(program=program)
    step = tpq // frames_per_beat
    held = torch.cat([roll.bool(), torch.zeros(1, KEYS, dtype=torch.bool)])
    for key in range(KEYS):
        start = None
        for frame, on in enumerate(held[:, key].tolist()):
            if on and start is None:
                start = frame
            elif not on and start is not None:
                track.notes.append(symusic.Note(start * step, (frame - start) * step,
                                                LOWEST + key, 80))
                start = None
    track.notes.sort(key=lambda n: (n.time, n.pitch))
    score.tracks.append(track)
    return score


class FrameWindows(Dataset):
    """Windows of `length` + 1 frames (a silent frame first), with a mask of real frames;
    `transpose` > 0 shifts a window's keys at random where nothing falls off the keyboard."""

    def __init__(self, rolls: list[torch.Tensor], length: int, transpose: int = 0) -> None:
        self.transpose = transpose
        frames, masks = [], []
        for roll in rolls:
            padded = torch.cat([torch.zeros(1, KEYS), roll])
            stride = max(1, length // 2)
            for start in range(0, max(1, len(padded) - length - 1 + stride), stride):
                window = padded[start:start + length + 1]
                mask = torch.zeros(length + 1)
                mask[:len(window)] = 1.0
                frames.append(torch.cat([window, torch.zeros(length + 1 - len(window), KEYS)]))
                masks.append(mask)
        self.frames = torch.stack(frames) if frames else torch.zeros(0, length + 1, KEYS)
        self.masks = torch.stack(masks) if masks else torch.zeros(0, length + 1)

    def __len__(self) -> int:
        return len(self.frames)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.frames[index], self.masks[index]

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        index = torch.as_tensor(indices)
        frames, masks = self.frames[index], self.masks[index]
        if self.transpose:
            frames = torch.stack([self._shift(f) for f in frames])
        return frames, masks

    def _shift(self, frames: torch.Tensor) -> torch.Tensor:
        used = frames.any(dim=0).nonzero().flatten()
        if not len(used):
            return frames
        low = max(-self.transpose, -int(used.min()))
        high = min(self.transpose, KEYS - 1 - int(used.max()))
        shift = int(torch.randint(low, high + 1, ()))
        return torch.roll(frames, shift, dims=1)
