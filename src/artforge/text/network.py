"""A GPT: causal self-attention blocks, learned positions, tied input/output embeddings.

Parameter names and shapes follow Hugging Face's GPT-2 (`transformer.h.N.attn.c_attn`, ...),
except that Linear weights are stored (out, in) where GPT-2's Conv1D stores (in, out); see
`artforge.text.hf` for the conversion. Generation runs with a pre-allocated key/value cache.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from artforge.core.kv_cache import KVCache, causal_attention


def _dropout(p: float) -> nn.Module:
    return nn.Dropout(p) if p > 0 else nn.Identity()  # p=0 still costs a pass in train mode


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd: int, n_head: int, dropout: float) -> None:
        super().__init__()
        self.n_head, self.dropout = n_head, dropout
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.resid_dropout = _dropout(dropout)

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0
                ) -> torch.Tensor:
        batch, length, width = x.shape
        q, k, v = (t.view(batch, length, self.n_head, width // self.n_head).transpose(1, 2)
                   for t in self.c_attn(x).split(width, dim=2))
        y = causal_attention(q, k, v, cache, layer, self.dropout if self.training else 0.0)
        y = y.transpose(1, 2).reshape(batch, length, width)
        return self.resid_dropout(self.c_proj(y))


GELU_APPROXIMATION = {"gelu": "none", "gelu_new": "tanh"}
"""Hugging Face's names of the two GELUs: exact (erf), and GPT-2's tanh approximation. The
exact one is the faster on a CPU (about 7% of a tiny GPT's training step); a GPT-2 imported
from Hugging Face keeps its tanh form so that its logits stay the same."""


class MLP(nn.Module):
    def __init__(self, n_embd: int, dropout: float, activation: str = "gelu_new") -> None:
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd)
        self.c_proj = nn.Linear(4 * n_embd, n_embd)
        self.dropout = _dropout(dropout)
        self.approximate = GELU_APPROXIMATION[activation]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x), approximate=self.approximate)))


class Block(nn.Module):
    def __init__(self, n_embd: int, n_head: int, dropout: float, eps: float,
                 activation: str = "gelu_new") -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd, eps=eps)
        self.attn = CausalSelfAttention(n_embd, n_head, dropout)
        self.ln_2 = nn.LayerNorm(n_embd, eps=eps)
        self.mlp = MLP(n_embd, dropout, activation)

    def forward(self, x: torch.Tensor, cache: KVCache | None, layer: int) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), cache, layer)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size: int, block_size: int, n_layer: int, n_head: int, n_embd: int,
                 dropout: float = 0.0, layer_norm_eps: float = 1e-5,
                 activation: str = "gelu_new") -> None:
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be a multiple of n_head ({n_head})")
        self.block_size, self.n_layer, self.n_head = block_size, n_layer, n_head
        self.transformer = nn.ModuleDict({
            "wte": nn.Embedding(vocab_size, n_embd),
            "wpe": nn.Embedding(block_size, n_embd),
            "drop": _dropout(dropout),
            "h": nn.ModuleList(Block(n_embd, n_head, dropout, layer_norm_eps, activation)
                               for _ in range(n_layer)),
            "ln_f": nn.LayerNorm(n_embd, eps=layer_norm_eps),
        })
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.lm_head.weight = self.transformer.wte.weight
        self.apply(self._init_weights)
        for name, param in self.named_parameters():
            if name.endswith("c_proj.weight"):  # residual projections, scaled as in GPT-2
                nn.init.normal_(param, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def new_cache(self, batch: int, capacity: int | None = None) -> KVCache:
        weight = self.transformer.wte.weight
        width = weight.shape[1]
        return KVCache(self.n_layer, batch, self.n_head, capacity or self.block_size,
                       width // self.n_head, weight.device, weight.dtype)

    def forward(self, idx: torch.Tensor, cache: KVCache | None = None,
                last_only: bool = False) -> torch.Tensor:
        """Logits (batch, length, vocab) for token ids `idx` (batch, length).

        With a cache, `idx` continues the tokens already in it, and the cache grows.
        `last_only` computes logits for the last position only (generation).
        """
        past = cache.length if cache is not None else 0
        length = idx.shape[1]
        if past + length > self.block_size:
            raise ValueError(f"sequence of {past + length} tokens is longer than the "
                             f"block size {self.block_size}")
        positions = torch.arange(past, past + length, device=idx.device)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(positions))
        for layer, block in enumerate(self.transformer.h):
            x = block(x, cache, layer)
        if cache is not None:
            cache.length += length
        x = self.transformer.ln_f(x[:, -1:] if last_only else x)
        return self.lm_head(x)
