"""Claim: artforge's GPT trains faster and generates faster than the usual ways of doing it.

On builtin:shakespeare at character level, with the `tiny` preset's shape (4 layers, 4 heads,
128 wide, block 128), three GPTs of the same size train for the same wall-clock time, one after
another in this process, from the same seed, with the same optimizer settings (AdamW, lr 2e-3,
betas 0.9/0.99, weight decay 0.1, 50 warm-up steps, batch 32, dropout 0):
  - reference: a plain nanoGPT-style GPT written below, in a plain loop;
  - transformers: `GPT2LMHeadModel` of the same shape, in the same plain loop;
  - artforge: `artforge.text`'s GPT through the core Trainer (progress bar, metrics and the
    final checkpoint included in its time).
Printed: training tokens/s and validation bits per character of each, and the ratios.
Then generation: 100 new tokens (prompt and all fit the block, as transformers needs), sampled
with top-k 50, by artforge's KV-cache decoder and by `transformers`' `generate` on the same
weights; tokens/s of each and the ratio.

Usage: python benchmarks/text_train.py [--seconds 120] [--threads 2] [--data PATH|builtin:NAME]
"""

import argparse
import math
import platform
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer
from artforge.data.text import load_corpus
from artforge.text.model import PRESETS, GPTModel, TokenWindows
from artforge.text.pipeline import encode_documents
from artforge.text.tokenizer import TextTokenizer

LR, BETAS, WEIGHT_DECAY, WARMUP, BATCH = 2e-3, (0.9, 0.99), 0.1, 50, 32


# The reference: a straightforward GPT, as people write it after nanoGPT ------------------------
class RefAttention(nn.Module):
    def __init__(self, width: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.proj(y.transpose(1, 2).reshape(b, t, c))


class RefBlock(nn.Module):
    def __init__(self, width: int, heads: int) -> None:
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attn = RefAttention(width, heads)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(),
                                 nn.Linear(4 * width, width))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class RefGPT(nn.Module):
    def __init__(self, vocab: int, block: int, layers: int, heads: int, width: int) -> None:
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, width), nn.Embedding(block, width)
        self.blocks = nn.Sequential(*[RefBlock(width, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab, bias=False)
        self.head.weight = self.tok.weight
        for m in self.modules():
            if isinstance(m, nn.Linear | nn.Embedding):
                nn.init.normal_(m.weight, std=0.02)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1], device=idx.device))
        return self.head(self.ln(self.blocks(x)))


def optimizer_for(model: nn.Module) -> torch.optim.Optimizer:
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                              {"params": rest, "weight_decay": 0.0}], lr=LR, betas=BETAS)


def plain_loop(model: nn.Module, logits_of, data: TokenWindows, seconds: float) -> int:
    """Train until `seconds` have passed; return the tokens trained on."""
    optimizer = optimizer_for(model)
    generator = torch.Generator().manual_seed(0)
    model.train()
    started, step = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        for group in optimizer.param_groups:
            group["lr"] = LR * min(1.0, (step + 1) / WARMUP)
        index = torch.randint(len(data), (BATCH,), generator=generator).tolist()
        x, y = data.__getitems__(index)
        loss = F.cross_entropy(logits_of(model, x).flatten(0, 1), y.flatten())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
    return step * BATCH * data.block_size


@torch.no_grad()
def bits_per_char(model: nn.Module, logits_of, val: TokenWindows) -> float:
    model.eval()
    x, y = val.__getitems__(list(range(len(val))))
    nats = F.cross_entropy(logits_of(model, x).flatten(0, 1), y.flatten(), reduction="sum")
    return float(nats) / y.numel() / math.log(2)  # one token is one character


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", default="builtin:shakespeare")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"text_train: {args.data}, {args.seconds:.0f} s each, {args.threads} threads, "
          f"torch {torch.__version__}, {platform.processor() or platform.machine()}")

    corpus = load_corpus(args.data)
    tokenizer = TextTokenizer.train([d.text for d in corpus.train + corpus.validation], "char")
    config = PRESETS["tiny"].replace(vocab_size=tokenizer.vocab_size)
    train = TokenWindows(encode_documents(tokenizer, corpus.train), config.block_size)
    val = TokenWindows(encode_documents(tokenizer, corpus.validation), config.block_size,
                       stride=config.block_size)
    shape = dict(vocab=config.vocab_size, block=config.block_size, layers=config.n_layer,
                 heads=config.n_head, width=config.n_embd)
    results = {}

    torch.manual_seed(0)
    ref = RefGPT(*shape.values())
    tokens = plain_loop(ref, lambda m, x: m(x), train, args.seconds)
    results["reference"] = (tokens / args.seconds, bits_per_char(ref, lambda m, x: m(x), val))

    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    hf_config = GPT2Config(vocab_size=config.vocab_size, n_positions=config.block_size,
                           n_embd=config.n_embd, n_layer=config.n_layer, n_head=config.n_head,
                           resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    hf = GPT2LMHeadModel(hf_config)
    hf_logits = lambda m, x: m(x).logits  # noqa: E731
    tokens = plain_loop(hf, hf_logits, train, args.seconds)
    results["transformers"] = (tokens / args.seconds, bits_per_char(hf, hf_logits, val))

    torch.manual_seed(0)
    ours = GPTModel(config, tokenizer)
    train_config = TrainConfig(steps=10**9, minutes=args.seconds / 60, batch_size=BATCH, lr=LR,
                               warmup_steps=WARMUP, betas=BETAS, weight_decay=WEIGHT_DECAY,
                               save_every=10**9, log_every=50, device="cpu")
    with tempfile.TemporaryDirectory() as run:
        started = time.perf_counter()
        result = Trainer(ours, train_config, Path(run), train).fit()
        elapsed = time.perf_counter() - started
    tokens = result.step * BATCH * config.block_size
    results["artforge"] = (tokens / elapsed, bits_per_char(ours, lambda m, x: m(x), val))

    print(f"{'model':<14}{'train tokens/s':>16}{'val bits/char':>15}")
    for name, (speed, bpc) in results.items():
        print(f"{name:<14}{speed:>16.0f}{bpc:>15.3f}")
    best = max(results["reference"][0], results["transformers"][0])
    print(f"training speed ratio artforge / best reference: {results['artforge'][0] / best:.2f}")
    print(f"bits/char artforge {results['artforge'][1]:.3f} vs best reference "
          f"{min(results['reference'][1], results['transformers'][1]):.3f} (lower is better)")
    generation(ours, tokenizer)


@torch.inference_mode()
def generation(model: GPTModel, tokenizer: TextTokenizer, new_tokens: int = 100,
               repeats: int = 3) -> None:
    from transformers import GPT2LMHeadModel

    from artforge.text.generate import GenerationConfig, sample
    from artforge.text.hf import export_hf

    model.eval()
    endless = TextTokenizer(tokenizer.tokenizer, tokenizer.kind)
    endless.eos_id = None  # both write exactly `new_tokens` tokens
    with tempfile.TemporaryDirectory() as folder:
        export_hf(model, Path(folder))
        hf = GPT2LMHeadModel.from_pretrained(folder).eval()
    prompt = tokenizer.encode("Shall I compare thee")
    config = GenerationConfig(max_new_tokens=new_tokens, top_k=50, top_p=1.0, seed=0)
    hf_ids = torch.tensor([prompt])
    ours_times, hf_times = [], []
    for _ in range(repeats):  # alternating, after one warm-up round each
        for times, run in ((ours_times, lambda: sample(model.net, endless, prompt, config)),
                           (hf_times, lambda: hf.generate(
                               hf_ids, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                               do_sample=True, top_k=50, top_p=1.0, pad_token_id=0))):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    ours_speed = new_tokens / sorted(ours_times)[len(ours_times) // 2]
    hf_speed = new_tokens / sorted(hf_times)[len(hf_times) // 2]
    print(f"generation tokens/s: artforge KV cache {ours_speed:.0f}, transformers generate "
          f"{hf_speed:.0f}; ratio {ours_speed / hf_speed:.2f}")


if __name__ == "__main__":
    main()
