import pytest
import torch

from artforge.errors import UserError
from artforge.text.generate import GenerationConfig
from artforge.text.generator import TextGenerator
from artforge.text.pipeline import generate_text


def test_brief_text_generator_signature_and_max_length(english_model, tmp_path):
    english_model.save(tmp_path / "model")
    generator = TextGenerator(tmp_path / "model")
    prompt = "Shall I"
    texts = generator.generate(prompt, max_length=20, num_return_sequences=3, do_sample=True,
                               top_k=50, top_p=0.95, num_beams=1)
    assert isinstance(texts, list) and len(texts) == 3
    for text in texts:  # max_length counts the prompt's tokens, as in Hugging Face
        assert text.startswith(prompt)
        assert len(generator.tokenizer.encode(text)) <= 20
    ids = torch.tensor([generator.tokenizer.encode(prompt)])
    assert generator(ids).shape == (1, len(prompt), english_model.config.vocab_size)


def test_same_seed_same_text_other_seed_other_text(english_model):
    run = lambda seed: generate_text(english_model, "Thou", GenerationConfig(  # noqa: E731
        max_new_tokens=30, seed=seed, top_k=0, top_p=1.0)).texts
    assert run(1) == run(1)
    assert run(1) != run(2)


def test_greedy_equals_one_beam_and_beams_are_deterministic(english_model):
    greedy = generate_text(english_model, "Thou", GenerationConfig(
        do_sample=False, max_new_tokens=12)).texts
    beams = generate_text(english_model, "Thou", GenerationConfig(
        num_beams=4, num_return_sequences=2, max_new_tokens=12)).texts
    assert len(beams) == 2 and beams == generate_text(english_model, "Thou", GenerationConfig(
        num_beams=4, num_return_sequences=2, max_new_tokens=12)).texts
    assert greedy == generate_text(english_model, "Thou", GenerationConfig(
        do_sample=False, num_beams=1, max_new_tokens=12, seed=9)).texts


def test_beam_search_scores_at_least_as_well_as_greedy(english_model):
    from artforge.text.beam import beam_search

    tok = english_model.tokenizer
    prompt = [tok.eos_id, *tok.encode("Thou")]

    def logprob(new):
        ids = torch.tensor([prompt + new])
        with torch.no_grad():
            logp = english_model.net(ids).log_softmax(-1)[0, len(prompt) - 1:-1]
        return float(logp.gather(-1, torch.tensor(new)[:, None]).sum()) / len(new)

    greedy = generate_text(english_model, "Thou", GenerationConfig(
        do_sample=False, max_new_tokens=8)).texts[0][len("Thou"):]
    best = beam_search(english_model.net, tok, prompt, GenerationConfig(
        num_beams=5, max_new_tokens=8))[0]
    assert logprob(best) >= logprob(tok.encode(greedy)) - 1e-6


def test_stop_string_ends_the_text_and_is_kept(english_model):
    texts = generate_text(english_model, "", GenerationConfig(
        max_new_tokens=200, stop=("e",), num_return_sequences=4, seed=0)).texts
    for text in texts:  # cut right after its first "e", or ended (end of text) without one
        assert text.count("e") == (1 if text.endswith("e") else 0), text
    assert sum(text.endswith("e") for text in texts) >= 2


def test_streaming_prints_exactly_the_text(english_model):
    pieces = []
    result = generate_text(english_model, "Rough", GenerationConfig(max_new_tokens=25, seed=4),
                           on_text=pieces.append)
    assert len(pieces) > 1 and "Rough" + "".join(pieces) == result.texts[0]


def test_generation_past_the_block_size_keeps_going(english_model):
    from artforge.text.generate import sample

    english_model.tokenizer.eos_id = None  # nothing ends it early
    new = sample(english_model.net, english_model.tokenizer, [0, 5, 6],
                 GenerationConfig(max_new_tokens=150, seed=0))
    assert english_model.config.block_size == 64 and len(new[0]) == 150


def test_unknown_control_and_too_short_max_length_are_user_errors(english_model):
    with pytest.raises(UserError, match="no control code 'plays'"):
        generate_text(english_model, "Thou", control="plays")
    with pytest.raises(UserError, match="--max-length"):
        generate_text(english_model, "Thou art more", GenerationConfig(max_length=5))
