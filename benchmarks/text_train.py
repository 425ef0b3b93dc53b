"""Claim: artforge's GPT trains faster and generates faster than the usual ways of doing it.

On builtin:shakespeare at character level, with the `tiny` preset's shape (4 layers, 4 heads,
128 wide, block 128), three GPTs of the same size train for the same wall-clock time, taking
turns of a few seconds each (so that a busy spell of a shared machine slows all three alike),
from the same seed, with the same optimizer settings (AdamW, lr 2e-3, betas 0.9/0.99, weight
decay 0.1, 50 warm-up steps, batch 32, clipping at 1, dropout 0):
  - reference: a plain nanoGPT-style GPT written below, in a plain loop;
  - transformers: `GPT2LMHeadModel` of the same shape, in the same plain loop;
  - artforge: `artforge.text`'s GPT driven by the core Trainer's parts (batches, optimizers,
    the model's own training step and fused AdamW).
Printed: training tokens/s and validation bits per character of each, and the ratios.
Then generation: 100 new tokens (prompt and all fit the block, as transformers needs), sampled
with top-k 50, by artforge's KV-cache decoder and by `transformers`' `generate` on the same
weights; tokens/s of each and the ratio. Last, a profile of a few steps of the reference and of
artforge: the share of CPU time in each kernel (both spend most of it in the same ones).

Usage: python benchmarks/text_train.py [--seconds 120] [--slice 5] [--threads 2]
                                       [--data PATH|builtin:NAME] [--profile STEPS]
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

from artforge.core.batches import Batches
from artforge.core.optimizers import Optimizers
from artforge.core.train_config import TrainConfig
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


class PlainLoop:
    """A reference contender: its model in a hand-written loop, one optimizer step per call."""

    def __init__(self, model: nn.Module, logits_of, data: TokenWindows) -> None:
        self.model, self.logits_of, self.data = model.train(), logits_of, data
        self.optimizer = optimizer_for(model)
        self.generator = torch.Generator().manual_seed(0)
        self.steps = 0

    def step(self) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = LR * min(1.0, (self.steps + 1) / WARMUP)
        index = torch.randint(len(self.data), (BATCH,), generator=self.generator).tolist()
        x, y = self.data.__getitems__(index)
        loss = F.cross_entropy(self.logits_of(self.model, x).flatten(0, 1), y.flatten())
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.steps += 1


class ArtforgeLoop:
    """artforge's GPT as the core Trainer drives it: its seeded `Batches`, `Optimizers`
    (warm-up, clipping, the model's own fused AdamW) and `training_step`. The progress bar,
    metrics log and checkpoints are left out here; `bench_trainer_overhead.py` measures them."""

    def __init__(self, model: GPTModel, data: TokenWindows) -> None:
        self.model = model.train()
        config = TrainConfig(steps=10**9, batch_size=BATCH, lr=LR, warmup_steps=WARMUP,
                             betas=BETAS, weight_decay=WEIGHT_DECAY, schedule="constant",
                             device="cpu")
        scaler = torch.amp.GradScaler("cuda", enabled=False)
        self.optimizers = Optimizers(model.configure_optimizer(LR, WEIGHT_DECAY, BETAS), config,
                                     scaler, sync_gradients=False)
        self.batches = iter(Batches(data, BATCH, seed=0))
        self.steps = 0

    def step(self) -> None:
        self.optimizers.zero_grad()
        self.optimizers.backward(self.model.training_step(next(self.batches))["loss"])
        self.optimizers.step()
        self.steps += 1


def train_interleaved(contenders: dict, seconds: float, slice_seconds: float) -> dict:
    """Give each contender `seconds` of training in turns of `slice_seconds`, round-robin, so
    that a busy spell of a shared machine slows all of them alike. Returns busy seconds."""
    busy = dict.fromkeys(contenders, 0.0)
    while min(busy.values()) < seconds:
        for name, contender in contenders.items():
            started = time.perf_counter()
            while time.perf_counter() - started < min(slice_seconds, seconds - busy[name]):
                contender.step()
            busy[name] += time.perf_counter() - started
    return busy


@torch.no_grad()
def bits_per_char(model: nn.Module, logits_of, val: TokenWindows) -> float:
    model.eval()
    x, y = val.__getitems__(list(range(len(val))))
    nats = F.cross_entropy(logits_of(model, x).flatten(0, 1), y.flatten(), reduction="sum")
    return float(nats) / y.numel() / math.log(2)  # one token is one character


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--slice", type=float, default=5.0, help="seconds per turn")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", default="builtin:shakespeare")
    parser.add_argument("--profile", type=int, default=10,
                        help="profile this many steps of each contender at the end (0: off)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"text_train: {args.data}, {args.seconds:.0f} s each in turns of {args.slice:.0f} s, "
          f"{args.threads} threads, torch {torch.__version__}, "
          f"{platform.processor() or platform.machine()}")

    corpus = load_corpus(args.data)
    tokenizer = TextTokenizer.train([d.text for d in corpus.train + corpus.validation], "char")
    config = PRESETS["tiny"].replace(vocab_size=tokenizer.vocab_size)
    train = TokenWindows(encode_documents(tokenizer, corpus.train), config.block_size)
    val = TokenWindows(encode_documents(tokenizer, corpus.validation), config.block_size,
                       stride=config.block_size)

    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    ref = RefGPT(config.vocab_size, config.block_size, config.n_layer, config.n_head,
                 config.n_embd)
    torch.manual_seed(0)
    hf = GPT2LMHeadModel(GPT2Config(
        vocab_size=config.vocab_size, n_positions=config.block_size, n_embd=config.n_embd,
        n_layer=config.n_layer, n_head=config.n_head, resid_pdrop=0.0, embd_pdrop=0.0,
        attn_pdrop=0.0))
    torch.manual_seed(0)
    ours = GPTModel(config, tokenizer)
    plain = lambda m, x: m(x)  # noqa: E731
    hf_logits = lambda m, x: m(x).logits  # noqa: E731
    contenders = {"reference": PlainLoop(ref, plain, train),
                  "transformers": PlainLoop(hf, hf_logits, train),
                  "artforge": ArtforgeLoop(ours, train)}
    busy = train_interleaved(contenders, args.seconds, args.slice)
    tokens_per_step = BATCH * config.block_size
    models = {"reference": (ref, plain), "transformers": (hf, hf_logits),
              "artforge": (ours, plain)}
    results = {name: (contenders[name].steps * tokens_per_step / busy[name],
                      bits_per_char(*models[name], val)) for name in contenders}

    print(f"{'model':<14}{'steps':>7}{'train tokens/s':>16}{'val bits/char':>15}")
    for name, (speed, bpc) in results.items():
        print(f"{name:<14}{contenders[name].steps:>7}{speed:>16.0f}{bpc:>15.3f}")
    best = max(results["reference"][0], results["transformers"][0])
    print(f"training speed ratio artforge / best reference: {results['artforge'][0] / best:.2f}")
    print(f"bits/char artforge {results['artforge'][1]:.3f} vs best reference "
          f"{min(results['reference'][1], results['transformers'][1]):.3f} (lower is better)")
    generation(ours, tokenizer)
    if args.profile:
        for name in ("reference", "artforge"):
            kernel_shares(name, contenders[name], args.profile)


def kernel_shares(name: str, contender, steps: int, top: int = 6) -> None:
    """Where a training step's CPU time goes: the ops with the most self time, as shares."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            contender.step()
    events = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
    total = sum(e.self_cpu_time_total for e in events)
    shares = ", ".join(f"{e.key.removeprefix('aten::')[:34]} {e.self_cpu_time_total / total:.0%}"
                       for e in events[:top])
    print(f"profile {name} ({total / steps / 1000:.0f} ms/step): {shares}")


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
