"""Music models registered by name (`lstm`, `gru`, `transformer`): a token network, its config
and its miditok tokenizer, saved and loaded as one folder, trained by the core Trainer."""

import dataclasses
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from artforge.core.config import Config, require
from artforge.core.kv_cache import KVCache
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.errors import UserError
from artforge.music.networks import MusicGRU, MusicLSTM, MusicTransformer, RNNState
from artforge.music.tokens import TOKENIZER_FILE, load_tokenizer, tokenizer_bytes

PAD_ID = 0


@dataclasses.dataclass
class MusicConfig(Config):
    vocab_size: int = 252
    """Set from the tokenizer when training starts (252: the default REMI tokenizer)."""
    embed: int = 128
    hidden: int = 256
    """LSTM/GRU hidden size, or the Transformer's width."""
    layers: int = 2
    heads: int = 4
    dropout: float = 0.1
    context: int = 256
    """Tokens per training window, and the most a primer may have."""
    tokenizer: str = "REMI"

    def validate(self) -> None:
        require([
            (self.vocab_size > 0, "the vocabulary size must be positive"),
            (self.embed >= 1 and self.hidden >= 1 and self.layers >= 1,
             "--embed, --hidden and --layers must be at least 1"),
            (0 <= self.dropout < 1, "--dropout must be in [0, 1)"),
            (self.context >= 8, "--context must be at least 8 tokens"),
        ])


class MusicModel(ArtModel):
    """Next-token prediction over music tokens; subclasses build the network."""

    config_class = MusicConfig

    def __init__(self, config: MusicConfig) -> None:
        super().__init__(config)
        self.tokenizer = None
        """The miditok tokenizer, saved beside the weights as tokenizer.json."""

    def forward(self, tokens: torch.Tensor, state: Any = None) -> tuple[torch.Tensor, Any]:
        """Logits (batch, length, vocab) for the token after each position, and the state that
        lets generation continue without re-reading the sequence (the Transformer: a key/value
        cache, given only to a state from `begin`; else None)."""
        raise NotImplementedError

    def begin(self, tokens: torch.Tensor) -> tuple[torch.Tensor, Any]:
        """Generation's first read of the whole sequence: its logits, and the state that the
        next tokens continue from (`self(token, state)`); None: re-read every step."""
        return self(tokens)

    def training_step(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        logits, _ = self(batch[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1).float(), batch[:, 1:].flatten(),
                               ignore_index=PAD_ID)
        return {"loss": loss}

    @torch.no_grad()
    def token_nll(self, batch: torch.Tensor) -> tuple[float, int]:
        """Summed negative log-likelihood (nats) of the batch's real tokens, and their count."""
        logits, _ = self(batch[:, :-1])
        targets = batch[:, 1:].flatten()
        nll = F.cross_entropy(logits.flatten(0, 1).float(), targets, ignore_index=PAD_ID,
                              reduction="sum")
        return float(nll), int((targets != PAD_ID).sum())

    def extra_files(self) -> dict[str, bytes]:
        if self.tokenizer is None:
            return {}
        return {TOKENIZER_FILE: tokenizer_bytes(self.tokenizer)}

    def load_extra_files(self, folder: Path) -> None:
        """Read tokenizer.json; a folder without one loads (weights only) but cannot make music,
        which `require_tokenizer` reports."""
        path = Path(folder) / TOKENIZER_FILE
        self.tokenizer = load_tokenizer(self.config.tokenizer, path) if path.is_file() else None
        if self.tokenizer is not None and len(self.tokenizer) != self.config.vocab_size:
            raise UserError(f"{folder}: the tokenizer does not match the model's vocabulary.")

    def require_tokenizer(self, folder: Path) -> None:
        if self.tokenizer is None:
            raise UserError(f"{folder} has no {TOKENIZER_FILE}, so its model cannot read or "
                            "write music.")


class RecurrentMusicModel(MusicModel):
    """Embedding → MusicLSTM / MusicGRU over the whole window at once."""

    network_class: type[nn.Module]

    def __init__(self, config: MusicConfig) -> None:
        super().__init__(config)
        self.embed = nn.Embedding(config.vocab_size, config.embed)
        self.drop = nn.Dropout(config.dropout)
        self.net = self.network_class(config.embed, config.hidden, config.layers,
                                      config.vocab_size, dropout=config.dropout)

    def forward(self, tokens: torch.Tensor, state: RNNState | None = None
                ) -> tuple[torch.Tensor, RNNState]:
        return self.net.forward_sequence(self.drop(self.embed(tokens)), state)


@MODELS.register("lstm")
class LSTMMusicModel(RecurrentMusicModel):
    kind = "lstm"
    network_class = MusicLSTM


@MODELS.register("gru")
class GRUMusicModel(RecurrentMusicModel):
    kind = "gru"
    network_class = MusicGRU


@MODELS.register("transformer")
class TransformerMusicModel(MusicModel):
    """Decoder-only with rotary positions; it reads at most `context` tokens back."""

    kind = "transformer"

    def __init__(self, config: MusicConfig) -> None:
        super().__init__(config)
        if config.hidden % config.heads or (config.hidden // config.heads) % 2:
            raise UserError("--hidden must be a multiple of twice --heads for the transformer.")
        self.net = MusicTransformer(config.vocab_size, config.hidden, config.layers,
                                    config.heads, config.dropout)

    def forward(self, tokens: torch.Tensor, state: "CachedWindow | None" = None
                ) -> tuple[torch.Tensor, "CachedWindow | None"]:
        """Without a state: the logits of the last `context` tokens. With one (from `begin`):
        `tokens` continue it through the key/value cache, until the window is full; from
        then on each step re-reads the last `context` tokens (state None)."""
        if state is None:
            return self.net(tokens[:, -self.config.context:]), None
        seen = torch.cat([state.tokens, tokens], dim=1)
        if seen.shape[1] > self.config.context:
            return self.net(seen[:, -self.config.context:]), None
        return self.net(tokens, state.cache), CachedWindow(state.cache, seen)

    def begin(self, tokens: torch.Tensor) -> tuple[torch.Tensor, "CachedWindow | None"]:
        if tokens.shape[1] > self.config.context:
            return self(tokens)
        cache = self.net.new_cache(len(tokens), self.config.context)
        return self.net(tokens, cache), CachedWindow(cache, tokens)


@dataclasses.dataclass
class CachedWindow:
    """The Transformer's generation state: its key/value cache and the tokens in it."""

    cache: KVCache
    tokens: torch.Tensor


ARCHITECTURES = ("lstm", "gru", "transformer")


def music_model_class(arch: str) -> type[MusicModel]:
    try:
        cls = MODELS.get(arch)
    except ValueError:
        cls = None
    if cls is None or not issubclass(cls, MusicModel):
        raise UserError(f"unknown music architecture {arch!r}; choose one of "
                        f"{', '.join(ARCHITECTURES)}.")
    return cls
