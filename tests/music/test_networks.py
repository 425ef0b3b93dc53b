import pytest
import torch

from artforge.music.networks import (
    MusicGRU,
    MusicLSTM,
    MusicTransformer,
    apply_rotary,
    rotary_tables,
)


def test_music_lstm_has_the_briefs_signature_and_shapes():
    torch.manual_seed(0)
    model = MusicLSTM(input_size=10, hidden_size=16, num_layers=2, output_size=7)
    x = torch.randn(3, 5, 10)
    h0, c0 = torch.zeros(2, 3, 16), torch.zeros(2, 3, 16)
    out, (h_n, c_n) = model(x, h0, c0)
    assert out.shape == (3, 7)
    assert h_n.shape == c_n.shape == (2, 3, 16)
    assert model.hidden_size == 16 and model.num_layers == 2


def test_whole_sequence_path_agrees_with_the_briefs_last_step():
    torch.manual_seed(0)
    model = MusicLSTM(4, 8, 1, 6)
    x = torch.randn(2, 9, 4)
    every, (h, c) = model.forward_sequence(x)
    last, (h2, c2) = model(x, torch.zeros(1, 2, 8), torch.zeros(1, 2, 8))
    torch.testing.assert_close(every[:, -1], last)
    torch.testing.assert_close(h, h2)
    step_by_step, state = [], None
    for t in range(9):
        out, state = model.forward_sequence(x[:, t:t + 1], state)
        step_by_step.append(out)
    torch.testing.assert_close(torch.cat(step_by_step, 1), every)


def test_music_gru_shapes():
    model = MusicGRU(4, 8, 2, 6)
    out, h_n = model(torch.randn(2, 3, 4), torch.zeros(2, 2, 8))
    assert out.shape == (2, 6) and h_n.shape == (2, 2, 8)


def test_transformer_is_causal():
    torch.manual_seed(0)
    model = MusicTransformer(vocab_size=20, width=16, layers=2, heads=2).eval()
    tokens = torch.randint(0, 20, (1, 10))
    changed = tokens.clone()
    changed[0, 7] = (tokens[0, 7] + 1) % 20
    a, b = model(tokens), model(changed)
    torch.testing.assert_close(a[:, :7], b[:, :7])
    assert not torch.allclose(a[:, 7:], b[:, 7:])


def test_rotary_scores_depend_on_relative_position_only():
    torch.manual_seed(0)
    q, k = torch.randn(1, 1, 1, 8), torch.randn(1, 1, 1, 8)
    cos, sin = rotary_tables(12, 8, torch.device("cpu"))

    def score(i, j):
        qi = apply_rotary(q, cos[i:i + 1], sin[i:i + 1])
        kj = apply_rotary(k, cos[j:j + 1], sin[j:j + 1])
        return float((qi * kj).sum())

    assert abs(score(5, 2) - score(9, 6)) < 1e-5
    assert abs(score(5, 2) - score(5, 4)) > 1e-3


def test_the_key_value_cache_gives_the_full_recompute_logits():
    torch.manual_seed(0)
    model = MusicTransformer(vocab_size=20, width=16, layers=2, heads=2).eval()
    tokens = torch.randint(0, 20, (2, 12))
    full = model(tokens)
    cache = model.new_cache(2, 12)
    steps = [model(tokens[:, :5], cache), model(tokens[:, 5:8], cache)]  # prefill, a chunk
    steps += [model(tokens[:, i:i + 1], cache) for i in range(8, 12)]  # one token at a time
    torch.testing.assert_close(torch.cat(steps, dim=1), full)
    assert cache.length == 12
    with pytest.raises(ValueError, match="do not fit"):
        model(tokens[:, :1], cache)
