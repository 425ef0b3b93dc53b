"""Bands: track matching, passages, multi-track tokens and their grammar, both architectures."""

import random

import pytest
import symusic
import torch

from artforge.core import checkpoint
from artforge.core.train_config import TrainConfig
from artforge.errors import UserError
from artforge.music.band import tokens as T
from artforge.music.band.data import band_data, pitch_ranges, transpose_passage
from artforge.music.band.model import BandTransformer, TransformerBandConfig
from artforge.music.band.musegan import BandGAN, GANBandConfig, passage_roll, roll_notes
from artforge.music.band.tracks import CHORALE, assign, passage_score, passages
from artforge.music.band.train import train_band
from tests.melody_and_band.fixtures import chorale_score, write_chorales

PASSAGE = [[(0, 4, 60), (0, 4, 64), (8, 8, 62)], []]


def test_tracks_match_by_name_then_by_family():
    score = chorale_score()
    found = assign(score, CHORALE)
    assert list(found) == list(CHORALE) and found["bass"][:2] == [(0, 8, 48), (8, 4, 50)]
    band = symusic.Score(480)
    for program, drum in ((33, False), (0, True), (81, False), (25, False)):
        track = symusic.Track(program=program, is_drum=drum)
        track.notes.append(symusic.Note(0, 480, 70 if program == 81 else 40, 80))
        band.tracks.append(track)
    matched = assign(band, ("melody", "bass", "drums", "guitar"))
    assert {name: notes[0][2] for name, notes in matched.items()} == {
        "bass": 40, "drums": 40, "guitar": 40, "melody": 70}


def test_passages_are_four_bar_windows_where_every_track_plays():
    tracks = assign(chorale_score(), CHORALE)
    found = passages(tracks, CHORALE, 4)
    assert len(found) == 5 and all(len(p) == 4 for p in found)
    assert found[1][0][:3] == [(0, 8, 62), (8, 4, 64), (12, 4, 62)]
    assert passages({"soprano": tracks["soprano"]}, CHORALE, 4) == []


def test_tokens_are_exact_and_round_trip():
    ids = T.encode(PASSAGE, 1)
    assert ids == [T.BOS, T.TRACK, T.BAR, T.POS, T.PITCH + 60, T.DUR + 3, T.PITCH + 64, T.DUR + 3,
                   T.POS + 8, T.PITCH + 62, T.DUR + 7, T.TRACK + 1, T.BAR, T.EOS]
    assert T.decode(ids, 2, 1) == PASSAGE
    chorale = passages(assign(chorale_score(), CHORALE), CHORALE, 4)[0]
    assert T.decode(T.encode(chorale, 4), 4, 4) == chorale


def test_any_sequence_the_grammar_allows_decodes_to_the_same_tokens():
    rng = random.Random(0)
    ranges = [(60, 72), (36, 48)]
    for _ in range(20):
        grammar, ids = T.Grammar(2, 2, ranges), [T.BOS]
        grammar.advance(T.BOS)
        while ids[-1] != T.EOS:
            allowed = grammar.allowed().nonzero().flatten().tolist()
            ids.append(rng.choice(allowed))
            grammar.advance(ids[-1])
        passage = T.decode(ids, 2, 2)
        assert T.encode(passage, 2) == ids
        for notes, (low, high) in zip(passage, ranges, strict=True):
            assert all(low <= p <= high and s + n <= 32 for s, n, p in notes)


def test_transposition_and_ranges():
    moved = transpose_passage([[(0, 4, 60)], [(0, 1, 36)]], 3, [False, True])
    assert moved == [[(0, 4, 63)], [(0, 1, 36)]]
    assert transpose_passage([[(0, 4, 106)]], 3, [False]) == [[(0, 4, 106)]]
    assert pitch_ranges([[[(0, 1, 60), (1, 1, 67)]]], 1, 2) == (58, 69)


def test_piano_roll_round_trip():
    roll = passage_roll(PASSAGE, 1)
    assert roll.shape == (2, 16, 84) and int(roll.sum()) == 16
    assert roll_notes(roll[0]) == PASSAGE[0]


def tiny_transformer() -> BandTransformer:
    torch.manual_seed(0)
    config = TransformerBandConfig(width=16, layers=1, heads=2, dropout=0.0, context=96,
                                   bars=1, ranges=(50, 80, 45, 75, 40, 70, 30, 60))
    return BandTransformer(config)


def tiny_gan() -> BandGAN:
    torch.manual_seed(0)
    return BandGAN(GANBandConfig(code=4, channels=8))


@pytest.mark.parametrize("make", [tiny_transformer, tiny_gan])
def test_generate_and_accompany_keep_the_melody(make):
    model = make()
    melody = [(0, 8, 60), (8, 8, 62)]
    made = model.generate(2, torch.Generator().manual_seed(0))
    assert len(made) == 2 and all(len(p) == 4 for p in made)
    backed = model.accompany(melody, 1, torch.Generator().manual_seed(0))[0]
    assert backed[0] == melody and len(backed) == 4
    assert all(s + n <= 16 * model.config.bars for track in backed for s, n, _ in track)


@pytest.mark.parametrize("make", [tiny_transformer, tiny_gan])
def test_accompaniment_keeps_to_the_guide_but_the_drums_do_not(make):
    model = make()
    model.config.tracks = ("melody", "bass", "piano", "drums")
    c_major = frozenset({0, 2, 4, 5, 7, 9, 11})
    half = 8 * model.config.bars
    triads = [frozenset({0, 4, 7})] * half + [frozenset({7, 11, 2})] * half  # C then G
    melody = [(0, 8, 60), (8, 8, 62)]
    free, keyed, chords = ([p for _ in range(3)
                            for p in model.accompany(melody, 2, torch.Generator().manual_seed(0),
                                                     guide=guide)]
                           for guide in (None, [c_major] * 2 * half, triads))
    assert any(n[2] % 12 not in c_major for p in free for n in p[1] + p[2])  # untrained: any
    assert all(n[2] % 12 in c_major for p in keyed for n in p[1] + p[2])
    assert all(n[2] % 12 in triads[n[0]] for p in chords for n in p[1] + p[2])
    assert any(p[1] + p[2] for p in keyed) and keyed[0][0] == melody


def test_the_grammar_allows_only_the_key_where_a_track_has_one():
    grammar = T.Grammar(2, 1, [(60, 72), (36, 48)], [None, [frozenset({0, 7})] * 16])
    for token in (T.BOS, T.TRACK, T.BAR, T.POS):
        grammar.advance(token)
    assert grammar.allowed()[T.PITCH:T.DUR].nonzero().flatten().tolist() == list(range(60, 73))
    for token in (T.PITCH + 60, T.DUR, T.TRACK + 1, T.BAR, T.POS):
        grammar.advance(token)
    assert grammar.allowed()[T.PITCH:T.DUR].nonzero().flatten().tolist() == [36, 43, 48]
    grammar.advance(T.PITCH + 43)
    grammar.advance(T.DUR)  # after a note, a higher one of the chord: 48 only
    assert grammar.allowed()[T.PITCH:T.DUR].nonzero().flatten().tolist() == [48]


def test_transformer_notes_stay_in_each_tracks_range():
    model = tiny_transformer()
    made = model.generate(2, torch.Generator().manual_seed(1))
    for passage in made:
        for notes, (low, high) in zip(passage, model.config.pitch_ranges(), strict=True):
            assert all(low <= p <= high for _, _, p in notes)


def test_transformer_step_and_save_load(tmp_path):
    model = tiny_transformer()
    batch = model.batch_of([[[(0, 4, 60)], [(0, 4, 55)], [(0, 4, 52)], [(0, 4, 40)]]])
    assert batch.shape == (1, 22)  # BOS, 4 x (TRACK BAR POS PITCH DUR), EOS
    assert float(model.training_step(batch)["loss"].detach()) == pytest.approx(5.37, abs=0.05)
    model.save(tmp_path / "m")
    loaded = checkpoint.load(tmp_path / "m")
    same = [m.generate(1, torch.Generator().manual_seed(4)) for m in (model, loaded)]
    assert same[0] == same[1]


@pytest.mark.parametrize("arch,config", [
    ("transformer", TransformerBandConfig(width=16, layers=1, heads=2, dropout=0.0)),
    ("musegan", GANBandConfig(code=4, channels=8))])
def test_train_band_on_chorales_and_resume(tmp_path, arch, config):
    songs = write_chorales(tmp_path / "songs", 3)
    train = TrainConfig(steps=2, batch_size=4, lr=1e-3, save_every=2, device="cpu")
    done = train_band(str(songs), tmp_path / "run", train, arch=arch, model_config=config,
                      catalog=False)
    assert done.result.step == 2 and len(done.data.train) == 10
    model = checkpoint.load(tmp_path / "run")
    assert model.config.ranges[:2] == (54, 74)  # soprano 59..69 widened by --transpose 5
    again = train_band(str(songs), tmp_path / "run", train.replace(steps=3), arch=arch,
                       resume=True, catalog=False)
    assert again.result.step == 3


def test_band_data_says_which_tracks_are_missing(tmp_path):
    folder = write_chorales(tmp_path / "songs", 2)
    with pytest.raises(UserError, match="no 4-bar passage with the tracks soprano, drums "
                                        r"\(e.g. chorale1.mid: no drums track\)"):
        band_data(str(folder), ("soprano", "drums"), 4)


def test_passage_score_puts_tracks_in_order():
    score = passage_score(PASSAGE, ["melody", "drums"], [73, 0])
    assert [t.name for t in score.tracks] == ["Melody", "Drums"]
    assert score.tracks[1].is_drum and len(score.tracks[0].notes) == 3


def test_the_guide_is_the_chords_the_key_or_nothing():
    from artforge.music.band.pipeline import accompaniment_guides

    tune = [[(0, 4, 60), (4, 4, 64), (8, 4, 67), (12, 4, 65), (16, 16, 65)],
            [(0, 8, 67), (8, 8, 71), (16, 16, 60)]]
    key, guides = accompaniment_guides("chords", "auto", tune, 2)
    assert key == "C major" and len(guides) == 2 and len(guides[0]) == 32
    c, f, g = frozenset({0, 4, 7}), frozenset({5, 9, 0}), frozenset({7, 11, 2})
    # one triad a half bar, fitting the melody: C E G | F | G B | C
    assert guides[0][:8] == [c] * 8 and guides[0][16:24] == [f] * 8
    assert guides[1][:16] == [g] * 16 and guides[1][16:] == [c] * 16
    assert accompaniment_guides("key", "a minor", tune, 2)[1][1][5] == frozenset(
        {9, 11, 0, 2, 4, 5, 7, 8})
    assert accompaniment_guides("free", "auto", tune, 2) == ("C major", [None, None])
    assert accompaniment_guides("chords", "auto", [[]], 1) == ("none", [None])
    with pytest.raises(UserError, match="--key must be auto or a key"):
        accompaniment_guides("key", "H major", tune, 2)
    with pytest.raises(UserError, match="--harmony must be one of"):
        accompaniment_guides("jazz", "auto", tune, 2)


def test_fine_tuning_a_band_model_keeps_its_tracks_ranges_and_weights(tmp_path):
    songs = write_chorales(tmp_path / "songs", 3)
    train = TrainConfig(steps=2, batch_size=4, lr=1e-3, save_every=2, device="cpu")
    config = TransformerBandConfig(width=16, layers=1, heads=2, dropout=0.0)
    train_band(str(songs), tmp_path / "first", train, model_config=config, catalog=False)
    source = checkpoint.load(tmp_path / "first")
    # A fresh run with other ranges (no transposition) and another width is not what comes
    # out: the source's config and weights are.
    done = train_band(str(songs), tmp_path / "tuned", train.replace(steps=1, lr=1e-9),
                      model_config=config.replace(width=32), transpose=0, catalog=False,
                      init_from=str(tmp_path / "first"))
    tuned = checkpoint.load(tmp_path / "tuned")
    assert done.result.step == 1 and tuned.config == source.config
    for name, tensor in source.state_dict().items():
        assert torch.allclose(tuned.state_dict()[name], tensor, atol=1e-6), name
    with pytest.raises(UserError, match="^there is no built-in band model builtin:bach; "):
        train_band(str(songs), tmp_path / "bad", train, init_from="builtin:bach",
                   catalog=False)
    assert not (tmp_path / "bad").exists()
