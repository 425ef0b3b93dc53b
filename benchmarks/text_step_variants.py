"""Where a tiny GPT's CPU training step could get faster: one step of variants of the same
nanoGPT-style model (the `tiny` preset's shape: 4 layers, 4 heads, 128 wide, block 128, batch
32, vocabulary 65) timed in one process, in alternating rounds, against the plain reference
(exact GELU, foreach AdamW). Printed: median ms per step, tokens/s and speed-up of each.

Usage: python benchmarks/text_step_variants.py [ROUNDS]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import math  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

VOCAB, BLOCK, LAYERS, HEADS, WIDTH, BATCH = 65, 128, 4, 4, 128, 32


class Attention(nn.Module):
    def __init__(self, bias: bool, kind: str) -> None:
        super().__init__()
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH, bias=bias)
        self.proj = nn.Linear(WIDTH, WIDTH, bias=bias)
        self.kind = kind
        self.register_buffer("mask", torch.full((BLOCK, BLOCK), float("-inf")).triu(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, c = x.shape
        q, k, v = (z.view(b, t, HEADS, c // HEADS).transpose(1, 2)
                   for z in self.qkv(x).split(c, 2))
        if self.kind == "flash":
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        elif self.kind == "mask":
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.mask[:t, :t])
        else:  # written out
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(c // HEADS) + self.mask[:t, :t]
            y = scores.softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, c))


class Block(nn.Module):
    def __init__(self, bias: bool, act, kind: str) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(WIDTH, bias=bias)
        self.ln2 = nn.LayerNorm(WIDTH, bias=bias)
        self.attn = Attention(bias, kind)
        self.fc = nn.Linear(WIDTH, 4 * WIDTH, bias=bias)
        self.out = nn.Linear(4 * WIDTH, WIDTH, bias=bias)
        self.act = act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        return x + self.out(self.act(self.fc(self.ln2(x))))


class GPT(nn.Module):
    def __init__(self, bias: bool = True, act=F.gelu, kind: str = "flash") -> None:
        super().__init__()
        self.tok, self.pos = nn.Embedding(VOCAB, WIDTH), nn.Embedding(BLOCK, WIDTH)
        self.blocks = nn.ModuleList(Block(bias, act, kind) for _ in range(LAYERS))
        self.ln = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, VOCAB, bias=False)
        self.head.weight = self.tok.weight

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.tok(idx) + self.pos.weight[:idx.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln(x))


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    return F.gelu(x, approximate="tanh")


VARIANTS = {
    "ref (gelu, foreach)": ({}, {"foreach": True}),
    "fused": ({}, {"fused": True}),
    "fused tanh": ({"act": gelu_tanh}, {"fused": True}),
    "fused relu": ({"act": F.relu}, {"fused": True}),
    "fused relu nobias": ({"act": F.relu, "bias": False}, {"fused": True}),
    "fused mask-sdpa": ({"kind": "mask"}, {"fused": True}),
    "fused math-attn": ({"kind": "math"}, {"fused": True}),
}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    torch.set_num_threads(2)
    runs = {}
    for name, (model_options, optimizer_options) in VARIANTS.items():
        torch.manual_seed(0)
        model = GPT(**model_options)
        runs[name] = (model, torch.optim.AdamW(model.parameters(), lr=1e-3, **optimizer_options))
    data = torch.randint(0, VOCAB, (BATCH, BLOCK + 1))

    def step(model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
        logits = model(data[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1), data[:, 1:].flatten())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    times = {name: [] for name in runs}
    for _ in range(rounds):
        for name, (model, optimizer) in runs.items():
            started = time.perf_counter()
            for _ in range(3):
                step(model, optimizer)
            times[name].append((time.perf_counter() - started) / 3)
    base = statistics.median(times["ref (gelu, foreach)"][2:])  # the first rounds warm up
    for name, values in times.items():
        middle = statistics.median(values[2:])
        print(f"{name:24s} {middle * 1000:7.1f} ms/step  {BATCH * BLOCK / middle:8.0f} tok/s  "
              f"speedup {base / middle:.2f}")


if __name__ == "__main__":
    main()
