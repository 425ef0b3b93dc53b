import pytest
import torch

from artforge.core.sampling import (
    SamplingConfig,
    ban_repeated_ngrams,
    choose,
    process_logits,
    repetition_penalty,
    top_k_filter,
    top_p_filter,
)
from artforge.errors import UserError

INF = float("inf")


def test_top_k_keeps_the_k_largest():
    logits = torch.tensor([[1.0, 4.0, 3.0, 2.0]])
    assert top_k_filter(logits, 2).tolist() == [[-INF, 4.0, 3.0, -INF]]
    assert top_k_filter(logits, 0).tolist() == logits.tolist()


def test_top_p_keeps_the_smallest_nucleus():
    probs = torch.tensor([[0.5, 0.3, 0.15, 0.05]])
    kept = top_p_filter(probs.log(), 0.75)
    assert torch.isfinite(kept).tolist() == [[True, True, False, False]]
    assert torch.isfinite(top_p_filter(probs.log(), 0.4)).tolist() == [[True, False, False, False]]


def test_repetition_penalty_divides_positive_and_multiplies_negative():
    logits = torch.tensor([[2.0, -1.0, 3.0]])
    out = repetition_penalty(logits, torch.tensor([[0, 1, 1]]), 2.0)
    assert out.tolist() == [[1.0, -2.0, 3.0]]


def test_no_repeat_ngram_bans_the_completing_token():
    history = torch.tensor([[5, 6, 7, 5, 6]])  # "5 6" was followed by 7 once already
    out = ban_repeated_ngrams(torch.zeros(1, 9), history, 3)
    assert torch.isinf(out[0]).nonzero().flatten().tolist() == [7]


def test_constraints_outrank_filters():
    logits = torch.tensor([[5.0, 1.0, 0.5, 0.1]])
    allowed = torch.tensor([[False, False, True, True]])
    config = SamplingConfig(top_k=1)
    out = process_logits(logits, torch.zeros(1, 0, dtype=torch.long), config, allowed)
    assert torch.isfinite(out).tolist() == [[False, False, True, False]]
    with pytest.raises(ValueError, match="no allowed token"):
        process_logits(logits, torch.zeros(1, 0, dtype=torch.long), config, allowed & False)


def test_choose_is_greedy_or_seeded_sampling():
    logits = torch.tensor([[0.0, 2.0, 1.0], [3.0, 0.0, 0.0]])
    assert choose(logits, SamplingConfig(do_sample=False)).tolist() == [1, 0]
    a = choose(logits, SamplingConfig(), torch.Generator().manual_seed(1))
    b = choose(logits, SamplingConfig(), torch.Generator().manual_seed(1))
    assert torch.equal(a, b)


def test_bad_sampling_options_are_user_errors():
    with pytest.raises(UserError, match="--top-p"):
        SamplingConfig(top_p=0).validate()
    with pytest.raises(UserError, match="--temperature"):
        SamplingConfig(temperature=0).validate()


def test_filters_never_remove_every_allowed_token():
    # The only allowed token would repeat the bigram (4, 2): the ban would leave nothing, so
    # the constraint wins and the allowed token is kept.
    logits = torch.zeros(1, 5)
    history = torch.tensor([[4, 2, 4]])
    allowed = torch.tensor([[False, False, True, False, False]])
    out = process_logits(logits, history, SamplingConfig(no_repeat_ngram_size=2), allowed)
    assert torch.isfinite(out[0]).nonzero().flatten().tolist() == [2]


def test_an_allowed_token_that_is_already_impossible_does_not_count():
    logits = torch.tensor([[-1.8, float("-inf")]])
    allowed = torch.tensor([[False, True]])
    with pytest.raises(ValueError, match="no allowed token"):
        process_logits(logits, torch.zeros(1, 0, dtype=torch.long), SamplingConfig(), allowed)
