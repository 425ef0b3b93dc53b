"""Beam search: keep the `num_beams` most likely continuations, ranked by log-probability per
token (length penalty 1, as in Hugging Face's default). Repetition penalty and n-gram bans
from the shared samplers apply; sampling filters (top-k, top-p) do not."""

import torch

from artforge.core.sampling import process_logits
from artforge.text.generate import Decoder, GenerationConfig
from artforge.text.network import GPT
from artforge.text.tokenizer import TextTokenizer


@torch.inference_mode()
def beam_search(net: GPT, tokenizer: TextTokenizer, prompt_ids: list[int],
                config: GenerationConfig) -> list[list[int]]:
    """The best `num_return_sequences` continuations (new token ids), best first."""
    beams, device = config.num_beams, net.transformer.wte.weight.device
    budget = config.new_tokens(len(prompt_ids))
    greedy = config.replace(do_sample=False, top_k=0, top_p=1.0)
    ids = torch.tensor([prompt_ids], dtype=torch.long, device=device)
    decoder = Decoder(net, 1)
    logits = decoder.start(ids)
    scores = torch.zeros(1, device=device)
    finished: list[tuple[float, list[int]]] = []
    start = len(prompt_ids)
    for step in range(budget):
        logprobs = process_logits(logits, ids, greedy).log_softmax(dim=-1)
        total = (scores[:, None] + logprobs).flatten()
        top = torch.topk(total, min(2 * beams, int(torch.isfinite(total).sum())))
        rows, tokens = top.indices // logprobs.shape[-1], top.indices % logprobs.shape[-1]
        keep_rows, keep_tokens, keep_scores = [], [], []
        for score, row, token in zip(top.values.tolist(), rows.tolist(), tokens.tolist(),
                                     strict=True):
            if token == tokenizer.eos_id:
                finished.append((score / (step + 1), ids[row, start:].tolist()))
            else:
                keep_rows.append(row)
                keep_tokens.append(token)
                keep_scores.append(score)
            if len(keep_rows) == beams:
                break
        if not keep_rows or _settled(finished, keep_scores, beams, budget, step):
            break
        order = torch.tensor(keep_rows, device=device)
        ids = torch.cat([ids[order], torch.tensor(keep_tokens, device=device)[:, None]], dim=1)
        scores = torch.tensor(keep_scores, device=device)
        decoder.cache.reorder(order)
        logits = decoder.step(ids)
    else:
        finished += [(s / budget, row[start:]) for s, row in zip(scores.tolist(), ids.tolist(),
                                                                 strict=True)]
    finished.sort(key=lambda item: item[0], reverse=True)
    return [tokens for _, tokens in finished[:config.num_return_sequences]]


def _settled(finished: list[tuple[float, list[int]]], live: list[float], beams: int,
             budget: int, step: int) -> bool:
    """Stop early once `beams` hypotheses are done and no live beam can still beat the worst
    of them (log-probabilities only fall, so the best a live beam can reach is its score
    spread over the longest length it may still get)."""
    if len(finished) < beams:
        return False
    worst = sorted(s for s, _ in finished)[-beams]
    return max(live) / budget <= worst
