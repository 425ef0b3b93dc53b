"""Sequence networks for music tokens: the brief's MusicLSTM, its GRU twin, and a decoder-only
Transformer with rotary positions. Pure modules: no files, no tokenizers."""

import torch
from torch import nn

from artforge.core.kv_cache import KVCache, causal_attention

RNNState = tuple[torch.Tensor, torch.Tensor] | torch.Tensor


class MusicLSTM(nn.Module):
    """The brief's network, exactly: `forward(x, h0, c0) -> (out, (h_n, c_n))` where `out` is the
    output layer applied to the last step, shape (batch, output_size).

    `forward_sequence` applies the output layer to every step, which is what training needs
    (one pass predicts every next token); generation feeds one step at a time with the state.
    """

    def __init__(self, input_size, hidden_size, num_layers, output_size, *, dropout=0.0):
        super().__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True,
                            dropout=dropout if num_layers > 1 else 0.0)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x, h0, c0):
        # x: (batch_size, seq_len, input_size); h0, c0: (num_layers, batch_size, hidden_size)
        out, (h_n, c_n) = self.lstm(x, (h0, c0))
        out = self.fc(out[:, -1, :])
        return out, (h_n, c_n)

    def forward_sequence(self, x: torch.Tensor, state: RNNState | None = None
                         ) -> tuple[torch.Tensor, RNNState]:
        """Outputs of every step, (batch, seq_len, output_size), and the final (h, c)."""
        out, state = self.lstm(x, state)
        return self.fc(out), state


class MusicGRU(nn.Module):
    """MusicLSTM with a GRU: `forward(x, h0) -> (out, h_n)`, out from the last step."""

    def __init__(self, input_size, hidden_size, num_layers, output_size, *, dropout=0.0):
        super().__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.gru = nn.GRU(input_size, hidden_size, num_layers, batch_first=True,
                          dropout=dropout if num_layers > 1 else 0.0)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x: torch.Tensor, h0: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out, h_n = self.gru(x, h0)
        return self.fc(out[:, -1, :]), h_n

    def forward_sequence(self, x: torch.Tensor, state: RNNState | None = None
                         ) -> tuple[torch.Tensor, RNNState]:
        out, state = self.gru(x, state)
        return self.fc(out), state


def rotary_tables(length: int, dim: int, device: torch.device,
                  base: float = 10000.0) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin of RoFormer's rotation angles (Su et al., 2021), each (length, dim)."""
    inv_freq = 1.0 / base ** (torch.arange(0, dim, 2, device=device).float() / dim)
    angles = torch.outer(torch.arange(length, device=device).float(), inv_freq)
    angles = torch.cat([angles, angles], dim=-1)
    return angles.cos(), angles.sin()


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate pairs of channels of x (batch, heads, length, dim) by position-dependent angles,
    so that attention scores depend on relative position only."""
    half = x.shape[-1] // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
    return x * cos + rotated * sin


class CausalSelfAttention(nn.Module):
    def __init__(self, width: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0
                ) -> torch.Tensor:
        batch, length, width = x.shape
        q, k, v = self.qkv(x).view(batch, length, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        past = cache.length if cache is not None else 0
        cos, sin = rotary_tables(past + length, q.shape[-1], x.device)
        cos, sin = cos[past:], sin[past:]
        q, k = apply_rotary(q, cos, sin), apply_rotary(k, cos, sin)
        out = causal_attention(q, k, v, cache, layer, self.dropout if self.training else 0.0)
        return self.proj(out.transpose(1, 2).reshape(batch, length, width))


class Block(nn.Module):
    """Pre-norm Transformer block: attention then a 4x MLP, each with a residual."""

    def __init__(self, width: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attention = CausalSelfAttention(width, heads, dropout)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(),
                                 nn.Linear(4 * width, width), nn.Dropout(dropout))

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0
                ) -> torch.Tensor:
        x = x + self.attention(self.norm1(x), cache, layer)
        return x + self.mlp(self.norm2(x))


class MusicTransformer(nn.Module):
    """Decoder-only Transformer over token ids; positions enter only through the rotary
    rotation of queries and keys, so no position table limits the length."""

    def __init__(self, vocab_size: int, width: int, layers: int, heads: int,
                 dropout: float = 0.0) -> None:
        super().__init__()
        if width % heads or (width // heads) % 2:
            raise ValueError("width must split into heads of an even size")
        self.embed = nn.Embedding(vocab_size, width)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(Block(width, heads, dropout) for _ in range(layers))
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab_size, bias=False)
        self.head.weight = self.embed.weight
        nn.init.normal_(self.embed.weight, std=0.02)  # GPT-2's scale: the tied head starts flat

    def new_cache(self, batch: int, capacity: int) -> KVCache:
        """An empty cache for generating up to `capacity` tokens in `batch` rows."""
        weight = self.embed.weight
        heads = self.blocks[0].attention.heads
        return KVCache(len(self.blocks), batch, heads, capacity, weight.shape[1] // heads,
                       weight.device, weight.dtype)

    def forward(self, tokens: torch.Tensor, cache: KVCache | None = None) -> torch.Tensor:
        """Logits (batch, length, vocab) of the next token after each position. With a
        cache, `tokens` continue the ones already in it, and the cache grows."""
        if cache is not None and cache.length + tokens.shape[1] > cache.capacity:
            raise ValueError(f"{cache.length + tokens.shape[1]} tokens do not fit a cache of "
                             f"{cache.capacity}")
        x = self.drop(self.embed(tokens))
        for layer, block in enumerate(self.blocks):
            x = block(x, cache, layer)
        if cache is not None:
            cache.length += tokens.shape[1]
        return self.head(self.norm(x))
