"""The melody VAE: shapes, the annealed objective, decoding, saving, resuming and the latent
tools."""

import math

import pytest
import symusic
import torch

from artforge.core import checkpoint
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer
from artforge.errors import UserError
from artforge.music.melody import HOLD, REST, VOCAB, cut, highest_voice, pitch_token
from artforge.music.vae.data import MelodyWindows, PhraseCodes
from artforge.music.vae.latent import attribute_vector, interpolation_codes, slerp
from artforge.music.vae.metrics import canonical
from artforge.music.vae.model import MelodyVAE, MelodyVAEConfig
from artforge.music.vae.pipeline import interpolate_melodies, read_melody
from tests.melody_and_band.fixtures import write_melody

P = pitch_token


def tiny(bars: int = 2, **changes) -> MelodyVAE:
    config = MelodyVAEConfig(bars=bars, latent=4, embed=4, encoder_hidden=8, conductor_hidden=8,
                             decoder_hidden=8, kl_anneal_steps=4, free_bits=0.0, beta=0.5)
    torch.manual_seed(0)
    return MelodyVAE(config.replace(**changes))


def on_phrases(bars: int = 4) -> tuple[MelodyVAE, MelodyVAE]:
    """A tiny 2-bar model and a `bars`-bar model built on it."""
    short = tiny(2)
    config = MelodyVAEConfig(bars=bars, latent=6, conductor_hidden=8, kl_anneal_steps=4,
                             free_bits=0.0, beta=0.5).on_phrases(short.config)
    long = MelodyVAE(config)
    long.build_on(short)
    return short, long


def melodies(count: int, bars: int = 2) -> torch.Tensor:
    bar = [[P(60 + i), HOLD, HOLD, HOLD, P(64 + i), HOLD, REST, HOLD] * 2 for i in range(count)]
    return torch.tensor([row * bars for row in bar])


@pytest.mark.parametrize("bars", [2, 4])
def test_shapes_of_the_flat_and_hierarchical_decoders(bars):
    model = tiny(bars)
    batch = melodies(3, bars)
    mu, sigma = model.encode(batch)
    assert mu.shape == sigma.shape == (3, 4) and bool((sigma > 0).all())
    assert model.decoder(mu, batch).shape == (3, 16 * bars, VOCAB)
    assert type(model.decoder).__name__ == ("FlatDecoder" if bars == 2 else
                                            "HierarchicalDecoder")
    made = model.decode(model.prior(5, torch.Generator().manual_seed(1)),
                        generator=torch.Generator().manual_seed(2))
    assert made.shape == (5, 16 * bars)
    assert all(canonical(row) == row for row in made.tolist())  # no NOTE_OFF in a rest


def test_bar_encoder_reads_bar_by_bar_and_every_bar_moves_the_code():
    model = tiny(4, bar_encoder=True)
    assert type(model.encoder).__name__ == "BarEncoder"
    batch = melodies(2, 4)
    mu, sigma = model.encode(batch)
    assert mu.shape == sigma.shape == (2, 4)
    for bar in range(4):  # a change in any bar reaches the code
        changed = batch.clone()
        changed[0, 16 * bar] = P(72)
        assert not torch.equal(model.encode(changed)[0][0], mu[0]), bar
    assert torch.equal(model.encode(changed)[0][1], mu[1])


def test_input_dropout_hides_previous_notes_only_while_training():
    from artforge.music.vae.networks import shifted

    tokens = melodies(4, 2)
    torch.manual_seed(0)
    dropped = shifted(tokens, 99, dropout=0.5)
    plain = shifted(tokens, 99)
    hidden = dropped != plain
    assert bool((dropped[hidden] == 99).all())
    assert 0.4 < float(hidden.float().mean()) < 0.6
    model = tiny(input_dropout=0.5)
    batch = melodies(2)
    assert model.validation_step(batch) == model.validation_step(batch)  # no noise held out
    with pytest.raises(Exception, match="input-dropout"):
        tiny(input_dropout=1.0)


def test_event_accuracy_counts_notes_and_rests_not_holds():
    model = tiny()
    batch = melodies(2)
    always_hold = torch.zeros(2, 32, VOCAB)
    always_hold[..., HOLD] = 1.0
    model.decoder.forward = lambda z, tokens, dropout=0.0: always_hold
    terms = model.validation_step(batch)
    holds = float((batch == HOLD).float().mean())
    assert terms["accuracy"] == pytest.approx(holds)
    assert terms["event_accuracy"] == 0.0


def test_kl_weight_anneals_and_free_bits_make_the_kl_free():
    model = tiny()
    batch = melodies(2)
    weights = []
    for _ in range(6):
        weights.append(float(model.training_step(batch)["beta"]))
    assert weights == [0.0, 0.125, 0.25, 0.375, 0.5, 0.5]
    free = tiny(free_bits=1e6)
    losses = free.training_step(batch)
    assert float(losses["loss"].detach()) == float(losses["recon"])


def test_training_steps_learn_two_melodies():
    model = tiny()
    batch = melodies(2)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-2)
    first = None
    for _ in range(15):
        loss = model.training_step(batch)["loss"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        first = first if first is not None else float(loss.detach())
    assert float(loss.detach()) < 0.5 * first


def test_no_latent_baseline_has_no_encoder_and_no_kl():
    model = tiny(latent=0)
    assert model.encoder is None
    terms = model.training_step(melodies(2))
    assert float(terms["kl"]) == 0.0 and float(terms["loss"].detach()) == float(terms["recon"])
    assert model.decode(model.prior(2), greedy=True).shape == (2, 32)


def test_save_and_load_decode_the_same(tmp_path):
    model = tiny(4)
    model.save(tmp_path / "vae")
    loaded = checkpoint.load(tmp_path / "vae")
    z = model.prior(2, torch.Generator().manual_seed(3))
    assert torch.equal(model.decode(z, greedy=True), loaded.decode(z, greedy=True))
    assert int(loaded.steps_done) == 0


@pytest.mark.parametrize("build", [tiny, lambda: on_phrases(4)[1]])
def test_resume_continues_bit_for_bit(tmp_path, build):
    model = build()
    rows = melodies(8, model.config.bars)
    data = (PhraseCodes(rows, 3, model.encoder.phrase, 32) if model.config.phrased
            else MelodyWindows(rows, transpose=3))

    def run(folder, steps, resume=False):
        model = build()
        config = TrainConfig(steps=steps, batch_size=4, lr=1e-2, save_every=3, device="cpu")
        Trainer(model, config, folder, data, resume=resume).fit()
        return model

    straight = run(tmp_path / "a", 6)
    run(tmp_path / "b", 3)
    resumed = run(tmp_path / "b", 6, resume=True)
    for (name, a), (_, b) in zip(straight.state_dict().items(), resumed.state_dict().items(),
                                 strict=True):
        assert torch.equal(a, b), name
    assert int(resumed.steps_done) == 6


def test_a_model_built_on_phrases_writes_each_phrase_as_the_short_model_does():
    short, long = on_phrases(6)
    assert type(long.encoder).__name__ == "PhraseEncoder"
    batch = melodies(3, 6)
    # The encoder reads the short model's mean code of each phrase.
    targets, spread = long.encoder.phrase_codes(batch)
    assert targets.shape == spread.shape == (3, 3, 4)
    # (A batch of three and a batch of one may round their sums differently.)
    assert torch.allclose(targets[1, 2], short.mean_codes(batch[1:2, 64:96])[0], atol=1e-6)
    z = long.prior(2, torch.Generator().manual_seed(4))
    codes = long.decoder.conduct(z, 3)
    assert codes.shape == (2, 3, 4)
    # Generation: each phrase is the short model's decoding of the conductor's code for it.
    made = long.decode(z, greedy=True)
    alone = short.decode(codes.flatten(0, 1), greedy=True)
    assert torch.equal(made, alone.reshape(2, 96))
    # Teacher forcing, likewise phrase by phrase.
    logits = long.decoder(z, batch[:2])
    alone = short.decoder(codes.flatten(0, 1), batch[:2].reshape(6, 32))
    assert torch.allclose(logits, alone.reshape(2, 96, -1), atol=1e-6)


def test_training_on_phrases_moves_only_the_long_level_and_learns_the_codes():
    short, long = on_phrases(4)
    frozen = {name: weight.clone() for name, weight in long.state_dict().items()
              if ".phrase." in f".{name}" or name.startswith("decoder.steps.")}
    assert frozen and all(not p.requires_grad for n, p in long.named_parameters()
                          if n in frozen)
    batch = melodies(2, 4)
    optimizer = torch.optim.Adam(long.parameters(), lr=3e-2)
    first = None
    for _ in range(30):
        terms = long.training_step(batch)
        optimizer.zero_grad()
        terms["loss"].backward()
        optimizer.step()
        first = first if first is not None else float(terms["recon"])
    assert "accuracy" not in terms  # training decodes nothing; it matches codes
    assert float(terms["recon"]) < 0.2 * first
    for name, weight in long.state_dict().items():
        if name in frozen:
            assert torch.equal(weight, frozen[name]), name
    held = long.validation_step(batch)
    assert set(held) == {"loss", "accuracy", "event_accuracy", "kl", "code_nll"}


def test_phrase_codes_are_the_short_encoders_codes_of_the_transposed_windows():
    _, long = on_phrases(4)
    rows = melodies(5, 4)
    data = PhraseCodes(rows, 2, long.encoder.phrase, 32, chunk=3)
    # Melody i moved by s is melody i + s, and both phrases of a window are alike: 9 distinct
    # phrases (lowest notes 58 to 66) of the 5 windows x 5 shifts x 2 phrases, encoded once.
    assert len(data) == 5 and len(data.codes) == 9
    torch.manual_seed(7)
    batch = data.__getitems__([4, 0, 2])
    torch.manual_seed(7)
    windows = MelodyWindows(rows, 2).__getitems__([4, 0, 2])
    assert not torch.equal(windows, rows[[4, 0, 2]])  # some were transposed
    targets, spread = long.encoder.phrase_codes(windows)
    assert batch.shape == (3, 2, 2, 4)
    assert torch.allclose(batch[:, 0], targets, atol=1e-6)
    assert torch.allclose(batch[:, 1], spread, atol=1e-6)
    # Training on the codes is training on the melodies.
    torch.manual_seed(1)
    from_codes = long._terms(batch, sample=True)
    torch.manual_seed(1)
    from_melodies = long._terms(windows, sample=True)
    for key in ("recon", "kl"):
        assert torch.allclose(from_codes[key], from_melodies[key], atol=1e-5), key


def test_slerp_keeps_endpoints_and_length():
    a, b = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    middle = slerp(a, b, 0.5)
    assert torch.allclose(middle, torch.tensor([math.sqrt(0.5)] * 2))
    codes = interpolation_codes(a, b, 5)
    assert torch.allclose(codes[0], a) and torch.allclose(codes[-1], b, atol=1e-6)
    assert torch.allclose(codes.norm(dim=1), torch.ones(5))
    assert torch.equal(slerp(a, a, 0.3), a)  # parallel codes fall back to a straight line


def test_attribute_vector_is_the_mean_code_difference_of_the_extremes():
    model = tiny()
    sparse = [P(60)] + [HOLD] * 15
    rows = torch.tensor([sparse * 2, sparse * 2, [P(60), HOLD] * 16, [P(62), P(64)] * 16])
    codes = model.mean_codes(rows)
    vector = attribute_vector(model, rows, "density")
    assert torch.allclose(vector, codes[3] - codes[:2].mean(0))


def test_canonical_marks_note_off_only_under_a_note():
    assert canonical([REST, P(60), REST, REST, HOLD]) == [HOLD, P(60), REST, HOLD, HOLD]


def test_longer_melodies_move_phrase_by_phrase(tmp_path):
    model = tiny()
    model.save(tmp_path / "vae")
    rising = [60, 62, 64, 65, 67, 69, 71, 72] * 2
    falling = [84, 83, 81, 79, 77, 76, 74, 72] * 2
    a = write_melody(tmp_path / "a.mid", rising + [74])  # reaches into bar 5
    b = write_melody(tmp_path / "b.mid", falling)
    out = interpolate_melodies(tmp_path / "vae", a, b, tmp_path / "i.mid", steps=3,
                               bars=4, catalog=False)
    back = highest_voice(symusic.Score(out).tracks[0].notes, 480, length=3 * 64)
    ends = torch.tensor([read_melody(model, a, 4), read_melody(model, b, 4)])
    assert ends.shape == (2, 64)
    # Step 1 is A's two 2-bar phrases, each reconstructed on its own; step 3 is B's.
    phrases = model.reconstruct(ends.view(4, 32)).tolist()
    assert back[:64] == phrases[0] + phrases[1]
    assert cut(back, 128, 64) == canonical(phrases[2] + phrases[3])
    assert symusic.Score(interpolate_melodies(  # as long as both go: 4 bars, not 5
        tmp_path / "vae", a, b, tmp_path / "auto.mid", steps=3, bars=0,
        catalog=False)).end() == symusic.Score(out).end()
    with pytest.raises(UserError, match="--bars must be a multiple of the model's 2 bars, up "
                                        "to 64, or 0"):
        interpolate_melodies(tmp_path / "vae", a, b, tmp_path / "x.mid", bars=3,
                             catalog=False)
    with pytest.raises(UserError, match="a.mid has 4.2 bars of melody; 6-bar melodies are "
                                        "asked for, so give one that reaches into bar 6."):
        interpolate_melodies(tmp_path / "vae", a, b, tmp_path / "x.mid", bars=6,
                             catalog=False)
    assert not (tmp_path / "x.mid").exists()


def test_interpolation_starts_and_ends_with_the_reconstructions(tmp_path):
    model = tiny()
    model.save(tmp_path / "vae")
    a = write_melody(tmp_path / "a.mid", [60, 62, 64, 65, 67, 65, 64, 62])
    b = write_melody(tmp_path / "b.mid", [72, 71, 69, 67, 65, 64, 62, 60, 59])
    out = interpolate_melodies(tmp_path / "vae", a, b, tmp_path / "i.mid", steps=4,
                               catalog=False)
    track = symusic.Score(out).tracks[0]
    back = highest_voice(track.notes, 480, length=4 * 32)
    ends = torch.tensor([read_melody(model, a), read_melody(model, b)])
    first_two_bars = [72, 71, 69, 67, 65, 64, 62, 60]  # the ninth note is left out
    assert ends[1].tolist() == [t for p in first_two_bars for t in (P(p), HOLD, HOLD, HOLD)]
    rebuilt = model.reconstruct(ends).tolist()
    assert back[:32] == rebuilt[0] and cut(back, 96, 32) == canonical(rebuilt[1])
