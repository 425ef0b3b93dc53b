"""`pianoroll`: an LSTM or GRU that predicts the next 88-key frame given all earlier frames;
its NLL per frame is the JSB Chorales benchmark's number.

With `output="independent"` the 88 keys of a frame are independent Bernoulli notes given the
history (the plain RNN of the literature: LSTM 8.45, GRU 8.43). With "autoregressive" each key
is also conditioned on the keys below it in the same frame through a strictly triangular linear
layer (a fully visible sigmoid belief net on top of the RNN, the idea of RNN-NADE, Boulanger-
Lewandowski et al. 2012), which lets the model learn chord shapes; its likelihood is still exact.
"""

import dataclasses

import torch
import torch.nn.functional as F
from torch import nn

from artforge.core.config import Config, require
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.music.networks import MusicGRU, MusicLSTM
from artforge.music.pianoroll import KEYS

CELLS = {"lstm": MusicLSTM, "gru": MusicGRU}
OUTPUTS = ("independent", "autoregressive")


@dataclasses.dataclass
class FrameConfig(Config):
    cell: str = "lstm"
    hidden: int = 256
    layers: int = 1
    dropout: float = 0.3
    context: int = 128
    """Frames per training window."""
    frames_per_beat: int = 1
    output: str = "autoregressive"
    """"independent" or "autoregressive" (see the module docstring)."""

    def validate(self) -> None:
        require([
            (self.cell in CELLS, f"the cell must be one of {', '.join(CELLS)}"),
            (self.hidden >= 1 and self.layers >= 1, "--hidden and --layers must be at least 1"),
            (0 <= self.dropout < 1, "--dropout must be in [0, 1)"),
            (self.context >= 2 and self.frames_per_beat >= 1, "bad context or frame rate"),
            (self.output in OUTPUTS, f"the output must be one of {', '.join(OUTPUTS)}"),
        ])


@MODELS.register("pianoroll")
class PianoRollModel(ArtModel):
    kind = "pianoroll"
    config_class = FrameConfig

    def __init__(self, config: FrameConfig) -> None:
        super().__init__(config)
        self.drop = nn.Dropout(config.dropout)
        self.net = CELLS[config.cell](KEYS, config.hidden, config.layers, KEYS,
                                      dropout=config.dropout)
        if config.output == "autoregressive":
            self.below = nn.Parameter(torch.zeros(KEYS, KEYS))
            self.register_buffer("strictly_below", torch.ones(KEYS, KEYS).tril(-1))

    def within_frame(self, frame: torch.Tensor) -> torch.Tensor:
        """What the keys below add to each key's logit (zero for independent outputs)."""
        if self.config.output != "autoregressive":
            return torch.zeros_like(frame)
        return frame @ (self.below * self.strictly_below).T

    def forward(self, frames: torch.Tensor, state=None):
        """Logits (batch, length, 88) of each next frame's keys, and the recurrent state."""
        return self.net.forward_sequence(self.drop(frames), state)

    def _summed_nll(self, batch: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor,
                                                                             torch.Tensor]:
        frames, mask = batch
        logits, _ = self(frames[:, :-1])
        logits = logits + self.within_frame(frames[:, 1:])
        nll = F.binary_cross_entropy_with_logits(logits.float(), frames[:, 1:],
                                                 reduction="none").sum(-1)
        weight = mask[:, 1:]
        return (nll * weight).sum(), weight.sum()

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor]) -> dict[str, torch.Tensor]:
        total, frames = self._summed_nll(batch)
        return {"loss": total / frames.clamp(min=1)}

    @torch.no_grad()
    def piece_nll(self, roll: torch.Tensor) -> float:
        """Summed NLL (nats) of a whole piece's frames, read from its start in one pass."""
        frames = torch.cat([torch.zeros(1, KEYS), roll])[None].to(next(self.parameters()).device)
        total, _ = self._summed_nll((frames, torch.ones(frames.shape[:2], device=frames.device)))
        return float(total)

    @torch.no_grad()
    def sample(self, primer: torch.Tensor, frames: int, temperature: float = 1.0,
               generator: torch.Generator | None = None) -> torch.Tensor:
        """`frames` new frames after `primer` (frames, 88), key by key from low to high."""
        device = next(self.parameters()).device
        history = torch.cat([torch.zeros(1, KEYS), primer.cpu()])[None].to(device)
        logits, state = self(history)
        made = []
        for _ in range(frames):
            frame = torch.zeros(1, KEYS, device=device)
            for key in range(KEYS):
                logit = (logits[0, -1, key] + self.within_frame(frame)[0, key]) / temperature
                on = torch.rand((), generator=generator, device=device) < torch.sigmoid(logit)
                frame[0, key] = float(on)
            made.append(frame[0])
            logits, state = self(frame[None], state)
        return torch.stack(made).cpu() if made else torch.zeros(0, KEYS)
