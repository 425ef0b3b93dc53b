"""Key/value cache of a decoder-only Transformer, shared by the text GPT and the music
Transformers: each new token attends to the keys and values kept from earlier steps instead
of the network re-reading the whole sequence."""

import torch
import torch.nn.functional as F


class KVCache:
    """Keys and values of every layer for the tokens seen so far, in pre-allocated buffers."""

    def __init__(self, n_layer: int, batch: int, n_head: int, capacity: int, head_dim: int,
                 device: torch.device, dtype: torch.dtype) -> None:
        shape = (batch, n_head, capacity, head_dim)
        self.keys = [torch.empty(shape, device=device, dtype=dtype) for _ in range(n_layer)]
        self.values = [torch.empty(shape, device=device, dtype=dtype) for _ in range(n_layer)]
        self.length = 0
        self.capacity = capacity

    def store(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Append the new keys/values of `layer`; return all keys and values so far."""
        start, end = self.length, self.length + k.shape[2]
        self.keys[layer][:, :, start:end] = k
        self.values[layer][:, :, start:end] = v
        return self.keys[layer][:, :, :end], self.values[layer][:, :, :end]

    def reorder(self, rows: torch.Tensor) -> None:
        """Keep rows `rows` of the batch (beam search), in that order."""
        self.keys = [k.index_select(0, rows) for k in self.keys]
        self.values = [v.index_select(0, rows) for v in self.values]


def causal_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                     cache: KVCache | None, layer: int, dropout: float) -> torch.Tensor:
    """Causal attention of (batch, heads, length, dim) queries over the cached keys and
    values and the new ones; the new keys and values are stored. The cache's `length` is
    advanced by the caller once every layer has run."""
    past = 0
    if cache is not None:
        past = cache.length
        k, v = cache.store(layer, k, v)
    length = q.shape[2]
    mask = None
    if past and length > 1:  # new tokens see every cached one and the new ones before them
        mask = torch.ones(length, past + length, dtype=torch.bool, device=q.device)
        mask = mask.tril(diagonal=past)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                          is_causal=(past == 0 and length > 1),
                                          dropout_p=dropout)
