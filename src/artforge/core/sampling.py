"""Sampling from next-token logits, shared by every medium that generates sequences.

Each function takes logits of shape (batch, vocab) and returns new logits; `choose` turns
them into token ids. Banned tokens get -inf. Constraints (verse forms, key locks) are masks of
allowed tokens passed to `process_logits`.
"""

import dataclasses

import torch

from artforge.core.config import Config, require

NEG_INF = float("-inf")


@dataclasses.dataclass
class SamplingConfig(Config):
    do_sample: bool = True
    """False: greedy (always the most likely token)."""
    temperature: float = 1.0
    top_k: int = 50
    """Keep the k most likely tokens; 0 keeps all."""
    top_p: float = 1.0
    """Nucleus: keep the smallest set of tokens whose probability reaches p; 1.0 keeps all."""
    repetition_penalty: float = 1.0
    """CTRL's penalty on tokens already in the sequence; 1.0 is off."""
    no_repeat_ngram_size: int = 0
    """Forbid any n-gram of this size from appearing twice; 0 is off."""

    def validate(self) -> None:
        require([
            (self.temperature > 0, "--temperature must be positive"),
            (self.top_k >= 0, "--top-k must be 0 (off) or more"),
            (0 < self.top_p <= 1, "--top-p must be in (0, 1]"),
            (self.repetition_penalty >= 1, "--repetition-penalty must be at least 1"),
            (self.no_repeat_ngram_size >= 0, "--no-repeat-ngram-size must be 0 (off) or more"),
        ])


def apply_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    return logits if temperature == 1.0 else logits / temperature


def top_k_filter(logits: torch.Tensor, k: int) -> torch.Tensor:
    if k <= 0 or k >= logits.shape[-1]:
        return logits
    threshold = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < threshold, NEG_INF)


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    if p >= 1.0:
        return logits
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    # Drop a token when the tokens before it already reach p; the first one always stays.
    drop_sorted = (cumulative - sorted_logits.softmax(dim=-1)) >= p
    drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
    return logits.masked_fill(drop, NEG_INF)


def repetition_penalty(logits: torch.Tensor, history: torch.Tensor, penalty: float) -> torch.Tensor:
    """Make tokens in `history` (batch, length) less likely: positive logits are divided by
    `penalty`, negative ones multiplied (Keskar et al., 2019)."""
    if penalty == 1.0 or history.numel() == 0:
        return logits
    seen = torch.gather(logits, -1, history)
    seen = torch.where(seen > 0, seen / penalty, seen * penalty)
    return logits.scatter(-1, history, seen)


def ban_repeated_ngrams(logits: torch.Tensor, history: torch.Tensor, n: int) -> torch.Tensor:
    """Forbid the tokens that would complete an n-gram already present in `history`."""
    if n <= 0 or history.shape[-1] < n:
        return logits
    logits = logits.clone()
    for row, tokens in enumerate(history.tolist()):
        prefix = tuple(tokens[len(tokens) - n + 1:]) if n > 1 else ()
        banned = [tokens[i + n - 1] for i in range(len(tokens) - n + 1)
                  if tuple(tokens[i:i + n - 1]) == prefix]
        if banned:
            logits[row, banned] = NEG_INF
    return logits


def penalized(logits: torch.Tensor, history: torch.Tensor, config: SamplingConfig
              ) -> torch.Tensor:
    """The logits after the penalties and the temperature, before the filters: the order in
    which top-k and top-p keep tokens."""
    logits = repetition_penalty(logits.float(), history, config.repetition_penalty)
    logits = ban_repeated_ngrams(logits, history, config.no_repeat_ngram_size)
    return apply_temperature(logits, config.temperature)


def process_logits(logits: torch.Tensor, history: torch.Tensor, config: SamplingConfig,
                   allowed: torch.Tensor | None = None) -> torch.Tensor:
    """All of the above in the usual order; `allowed` (batch, vocab) bool masks constraints.

    Constraints are applied first and outrank everything else: if penalties or filters would
    remove every allowed token, the most likely allowed token is kept.
    """
    logits = logits.float()
    if allowed is not None:
        if not bool((allowed & torch.isfinite(logits)).any(dim=-1).all()):
            raise ValueError("a constraint left no allowed token for some sequence")
        logits = logits.masked_fill(~allowed, NEG_INF)
    constrained = logits
    logits = top_p_filter(top_k_filter(penalized(logits, history, config), config.top_k),
                          config.top_p)
    dead = torch.isinf(logits).all(dim=-1)
    if bool(dead.any()):
        best = constrained.argmax(dim=-1, keepdim=True)
        rescue = torch.full_like(logits, NEG_INF).scatter(-1, best, 0.0)
        logits = torch.where(dead[:, None], rescue, logits)
    return logits


def choose(logits: torch.Tensor, config: SamplingConfig,
           generator: torch.Generator | None = None) -> torch.Tensor:
    """Token ids of shape (batch,): sampled from the processed logits, or the argmax."""
    if not config.do_sample:
        return logits.argmax(dim=-1)
    probs = logits.softmax(dim=-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)
