"""Autoregressive decoding of music tokens with the shared samplers and the grammar/controls
masks; the result always decodes to a playable score."""

import contextlib
from collections.abc import Iterator

import torch

from artforge.core.sampling import SamplingConfig, choose, process_logits
from artforge.music.constraints import Controls, DecodeState, Grammar, allowed_next
from artforge.music.model import MusicModel

HISTORY_FOR_PENALTIES = 64
"""Tokens looked back at by the repetition penalty and the n-gram ban."""


@contextlib.contextmanager
def one_thread_on_cpu(device: torch.device) -> Iterator[None]:
    """Run tiny operations (decoding one token at a time, small recurrent models) on one CPU
    thread: more threads only add synchronisation (ten times slower on a busy two-core
    machine). The thread count is restored after."""
    before = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def continue_tokens(model: MusicModel, primer: list[int], *, max_tokens: int, bars: int,
                    sampling: SamplingConfig, controls: Controls, seed: int) -> list[int]:
    """New token ids after BOS + `primer`: at most `max_tokens`, stopping once `bars` bars
    (0: no bar limit) are complete."""
    model.eval()
    device = next(model.parameters()).device
    with one_thread_on_cpu(device), torch.no_grad():
        return _decode(model, primer, max_tokens, bars, sampling, controls, seed, device)


def _decode(model: MusicModel, primer: list[int], max_tokens: int, bars: int,
            sampling: SamplingConfig, controls: Controls, seed: int,
            device: torch.device) -> list[int]:
    # BPE merges several base tokens into one id: the masks (built on base tokens) do not
    # apply, so such models sample freely and stop at max_tokens (pipeline cuts the bars).
    grammar = None if model.tokenizer.is_trained else Grammar(model.tokenizer)
    generator = torch.Generator(device=device).manual_seed(seed)
    bos = model.tokenizer.vocab["BOS_None"]
    history = torch.tensor([[bos, *primer]], device=device)
    state = DecodeState()
    for token in primer if grammar is not None else []:
        state.advance(grammar, token)
    start_bars = state.bars
    logits, net_state = model.begin(history)
    new: list[int] = []
    for _ in range(max_tokens):
        allowed = None if grammar is None else allowed_next(grammar, state, controls)[None]
        processed = process_logits(logits[:, -1], history[:, -HISTORY_FOR_PENALTIES:], sampling,
                                   allowed=None if allowed is None else allowed.to(device))
        token = choose(processed, sampling, generator)
        if grammar is not None:
            state.advance(grammar, int(token))
            if bars and _bars_done(grammar, state, start_bars, bars, int(token)):
                break
        new.append(int(token))
        history = torch.cat([history, token[:, None]], dim=1)
        if net_state is None:
            logits, net_state = model.begin(history)
        else:
            logits, net_state = model(token[:, None], net_state)
    return new


def _bars_done(grammar: Grammar, state: DecodeState, start: int, bars: int, token: int) -> bool:
    """True at the token that would start bar `bars` + 1 of the continuation (REMI's Bar), or
    once time has moved past `bars` bars (time-shift tokenizers)."""
    if "Bar" in grammar.by_type:
        return grammar.types[token] == "Bar" and state.bars - start > bars
    return state.bars - start >= bars
