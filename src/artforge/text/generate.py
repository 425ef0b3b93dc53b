"""Generation from a GPT: sampling (or beam search) with a KV cache, constraints, stop strings
and streaming. The samplers themselves are the shared ones in `artforge.core.sampling`."""

import dataclasses
from collections.abc import Callable

import torch

from artforge.core.config import require
from artforge.core.kv_cache import KVCache
from artforge.core.sampling import NEG_INF, SamplingConfig, choose, penalized, process_logits
from artforge.errors import UserError
from artforge.text.constraint import Constraint
from artforge.text.network import GPT
from artforge.text.tokenizer import TextTokenizer


@dataclasses.dataclass
class GenerationConfig(SamplingConfig):
    """The brief's `generate` options (HF semantics: `max_length` counts the prompt's tokens),
    and the controls users expect besides."""

    top_p: float = 0.95
    max_length: int = 100
    max_new_tokens: int | None = None
    """Overrides max_length: tokens to add after the prompt."""
    num_return_sequences: int = 1
    num_beams: int = 1
    seed: int = 0
    stop: tuple[str, ...] = ()
    """Generation of a sequence ends at the first of these strings (which is kept)."""

    def validate(self) -> None:
        super().validate()
        require([
            (self.max_length >= 1, "--max-length must be at least 1"),
            (self.max_new_tokens is None or self.max_new_tokens >= 1,
             "--max-new-tokens must be at least 1"),
            (1 <= self.num_return_sequences <= 256, "--num-return-sequences must be 1 to 256"),
            (1 <= self.num_beams <= 64, "--num-beams must be 1 to 64"),
            (self.num_beams == 1 or self.num_return_sequences <= self.num_beams,
             "--num-return-sequences cannot exceed --num-beams in beam search"),
            (all(self.stop), "stop strings cannot be empty"),
        ])

    def new_tokens(self, prompt_tokens: int) -> int:
        if self.max_new_tokens is not None:
            return self.max_new_tokens
        if self.max_length <= prompt_tokens:
            raise UserError(f"--max-length ({self.max_length}) must be more than the prompt's "
                            f"{prompt_tokens} tokens; raise it or use --max-new-tokens.")
        return self.max_length - prompt_tokens


_MARGIN = 1e-4


class Decoder:
    """Runs a GPT forward one token at a time; when the block is full it re-reads the last
    half block, so generation can go on past the model's context length."""

    def __init__(self, net: GPT, batch: int) -> None:
        self.net, self.batch = net, batch
        self.cache: KVCache = net.new_cache(batch)

    def start(self, ids: torch.Tensor) -> torch.Tensor:
        self.cache = self.net.new_cache(ids.shape[0])
        return self.net(ids[:, -self.net.block_size:], self.cache, last_only=True)[:, -1]

    def step(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits after `ids` (batch, length) whose last column is new."""
        if self.cache.length >= self.net.block_size:
            return self.start(ids[:, -(self.net.block_size // 2):])
        return self.net(ids[:, -1:], self.cache, last_only=True)[:, -1]


def sample(net: GPT, tokenizer: TextTokenizer, prompt_ids: list[int], config: GenerationConfig,
           constraints: list[Constraint] | None = None,
           on_text: Callable[[str], None] | None = None) -> list[list[int]]:
    """New token ids for each of `num_return_sequences` continuations of `prompt_ids`."""
    return sample_with_logprobs(net, tokenizer, prompt_ids, config, constraints, on_text)[0]


@torch.inference_mode()
def sample_with_logprobs(net: GPT, tokenizer: TextTokenizer, prompt_ids: list[int],
                         config: GenerationConfig, constraints: list[Constraint] | None = None,
                         on_text: Callable[[str], None] | None = None
                         ) -> tuple[list[list[int]], list[list[float]]]:
    """As `sample`, and the log-probability of each token written under the model alone: at
    temperature 1, before constraints and filters."""
    device = net.transformer.wte.weight.device
    batch = config.num_return_sequences
    ids = torch.tensor([prompt_ids] * batch, dtype=torch.long, device=device)
    generator = torch.Generator(device=device).manual_seed(config.seed)
    decoder = Decoder(net, batch)
    logits = decoder.start(ids)
    stream = _Stream(tokenizer, on_text) if on_text and batch == 1 else None
    ended = torch.zeros(batch, dtype=torch.bool, device=device)
    new: list[list[int]] = [[] for _ in range(batch)]
    logprobs: list[list[float]] = [[] for _ in range(batch)]
    for _ in range(_budget(config, len(prompt_ids), constraints)):
        allowed = _allowed_mask(constraints, ended, logits, ids, config) if constraints else None
        token = choose(process_logits(logits, ids, config, allowed), config, generator)
        chosen = logits.float().log_softmax(dim=-1).gather(-1, token[:, None])[:, 0].tolist()
        ids = torch.cat([ids, token[:, None]], dim=1)
        for row, tok in enumerate(token.tolist()):
            if ended[row]:
                continue
            new[row].append(tok)
            logprobs[row].append(chosen[row])
            if constraints:
                constraints[row].advance(tok)
            ended[row] = _ends(tokenizer, new[row], config.stop, constraints, row)
        if stream:
            stream.update(new[0], bool(ended[0]))
        if bool(ended.all()):
            break
        logits = decoder.step(ids)
    return [_trim(tokenizer, row, config.stop) for row in new], logprobs


def _budget(config: GenerationConfig, prompt_tokens: int, constraints: list | None) -> int:
    if constraints:  # a form decides the length; every token adds at least one character
        return max(c.max_tokens() for c in constraints)
    return config.new_tokens(prompt_tokens)


def _allowed_mask(constraints: list[Constraint], ended: torch.Tensor, logits: torch.Tensor,
                  ids: torch.Tensor, config: GenerationConfig) -> torch.Tensor:
    ranked = (penalized(logits, ids, config).cpu()
              if config.top_k and any(c.per_token for c in constraints) else None)
    rows = []
    for row, constraint in enumerate(constraints):
        if ended[row]:  # finished rows may emit anything; it is not kept
            rows.append(torch.ones(logits.shape[-1], dtype=torch.bool))
        elif ranked is not None and constraint.per_token:
            rows.append(_likeliest_allowed(constraint, ranked[row], config.top_k, config.top_p))
        else:
            rows.append(constraint.allowed())
    return torch.stack(rows).to(logits.device)


def _likeliest_allowed(constraint: Constraint, scores: torch.Tensor, k: int,
                       p: float) -> torch.Tensor:
    """The allowed tokens that top-k and then top-p could keep, so that the filters keep what
    they would keep from `allowed()`: tested from the likeliest down until k fit (with any
    tied with the k-th), or until top-p can keep none of the rest (`_nucleus_is_found`); the
    whole of `allowed()` only when none fits. Tokens the constraint rules out at a glance
    (`plausible`) are not tested."""
    values, order = scores.sort(descending=True)
    plausible = constraint.plausible()[order]
    values, order = values[plausible], order[plausible]
    weights = (values - values[:1]).exp().tolist()  # relative to the likeliest: no overflow
    found: list[int] = []
    before: list[float] = []  # the weight of the tokens found before each one
    kth, total = NEG_INF, 0.0
    for value, weight, token in zip(values.tolist(), weights, order.tolist(), strict=True):
        if value == NEG_INF or value < kth:
            break
        if found and _nucleus_is_found(before, total, weight * (k - len(found)), p):
            break
        if constraint.fits(token):
            found.append(token)
            before.append(total)
            total += weight
            if len(found) == k:
                kth = value
    if not found:
        return constraint.allowed()
    mask = torch.zeros(len(scores), dtype=torch.bool)
    mask[found] = True
    return mask


def _nucleus_is_found(before: list[float], found: float, most_unseen: float, p: float) -> bool:
    """Whether top-p keeps the same tokens of those found (whose weights sum to `found`, with
    `before` summed before each) whatever the allowed tokens not yet seen, which weigh at most
    `most_unseen` together: it keeps a token while the weight before it is under p of the
    whole, so it keeps none of the unseen once `found` reaches p of the largest whole, and
    its choice among the found does not change unless a sum `before` falls between p of the
    smallest and of the largest. A margin keeps float rounding out of it."""
    if p >= 1.0:
        return False
    low, high = p * found * (1 - _MARGIN), p * (found + most_unseen) * (1 + _MARGIN)
    return found >= high and not any(low <= sum_before < high for sum_before in before)


def _ends(tokenizer: TextTokenizer, new: list[int], stop: tuple[str, ...],
          constraints: list[Constraint] | None, row: int) -> bool:
    if new[-1] == tokenizer.eos_id:
        return True
    if constraints is not None and constraints[row].finished():
        return True
    if stop:
        tail = tokenizer.decode(new[-64:])
        return any(s in tail for s in stop)
    return False


def _trim(tokenizer: TextTokenizer, new: list[int], stop: tuple[str, ...]) -> list[int]:
    """Drop the end-of-text token; cut after the first stop string."""
    if new and new[-1] == tokenizer.eos_id:
        new = new[:-1]
    if stop:
        for end in range(1, len(new) + 1):
            if any(s in tokenizer.decode(new[:end]) for s in stop):
                return new[:end]
    return new


class _Stream:
    """Prints (through `on_text`) the text of the first sequence as it grows, holding back
    a trailing half character that byte-level BPE has not finished."""

    def __init__(self, tokenizer: TextTokenizer, on_text: Callable[[str], None]) -> None:
        self.tokenizer, self.on_text, self.shown = tokenizer, on_text, 0

    def update(self, new: list[int], ended: bool) -> None:
        text = self.tokenizer.decode(new[:-1] if ended and new and
                                     new[-1] == self.tokenizer.eos_id else new)
        if not ended:
            text = text.rstrip("\ufffd")
        if len(text) > self.shown:
            self.on_text(text[self.shown:])
            self.shown = len(text)
