import pytest
import torch

from artforge.core import checkpoint
from artforge.core.registry import MODELS
from artforge.errors import UserError
from artforge.music.dataset import TokenWindows, windows
from artforge.music.model import (
    GRUMusicModel,
    LSTMMusicModel,
    MusicModel,
    TransformerMusicModel,
    music_model_class,
)
from tests.music.conftest import tiny_model

ARCHS = [LSTMMusicModel, GRUMusicModel, TransformerMusicModel]


def test_the_default_vocabulary_is_the_default_tokenizers():
    from artforge.music.model import MusicConfig
    from artforge.music.tokens import make_tokenizer

    assert MusicConfig().vocab_size == len(make_tokenizer())


def test_a_folder_without_its_tokenizer_loads_but_cannot_make_music(tmp_path):
    from artforge.music.pipeline import load_music_model

    model = tiny_model()
    model.save(tmp_path / "m")
    (tmp_path / "m" / "tokenizer.json").unlink()
    assert checkpoint.load(tmp_path / "m").tokenizer is None
    with pytest.raises(UserError, match="has no tokenizer.json, so its model cannot read"):
        load_music_model(tmp_path / "m")


def test_the_three_architectures_are_registered():
    assert [MODELS.get(name) for name in ("lstm", "gru", "transformer")] == ARCHS
    with pytest.raises(UserError, match="unknown music architecture 'field'"):
        music_model_class("field")


@pytest.mark.parametrize("cls", ARCHS)
def test_save_load_gives_the_same_outputs_and_tokenizer(cls, tmp_path):
    model = tiny_model(cls)
    model.save(tmp_path / "m")
    loaded = checkpoint.load(tmp_path / "m")
    assert type(loaded) is cls and isinstance(loaded, MusicModel)
    assert loaded.tokenizer.vocab == model.tokenizer.vocab
    tokens = torch.tensor([[1, 4, 200, 30, 100, 140, 190]])
    torch.testing.assert_close(loaded(tokens)[0], model(tokens)[0])


@pytest.mark.parametrize("cls", ARCHS)
def test_one_step_lowers_the_loss(cls):
    model = tiny_model(cls).train()
    batch = torch.tensor([[1, 4, 200, 30, 100, 140, 190, 40, 100, 140, 0, 0]] * 4)
    optimizer = model.configure_optimizer(1e-2, 0.0, (0.9, 0.999))
    before = model.training_step(batch)["loss"]
    before.backward()
    before = before.detach()
    optimizer.step()
    after = model.training_step(batch)["loss"].detach()
    assert float(after) < float(before)
    assert abs(float(before) - torch.log(torch.tensor(252.0))) < 0.3  # near uniform at start


def test_windows_overlap_by_half_and_pad():
    rows = windows([list(range(10, 20))], context=4, bos_id=1)
    assert rows.tolist() == [[1, 10, 11, 12, 13], [11, 12, 13, 14, 15], [13, 14, 15, 16, 17],
                             [15, 16, 17, 18, 19]]
    assert windows([[10, 11], [12]], context=4, bos_id=1).tolist() == [[1, 10, 11, 0, 0],
                                                                        [1, 12, 0, 0, 0]]


def test_transposition_moves_pitches_only_and_stays_in_range():
    pitch_ids = torch.arange(100, 110)  # ten consecutive semitones
    data = TokenWindows([[5, 101, 6, 108, 7]], context=8, bos_id=1, pitch_ids=pitch_ids,
                        transpose=3)
    torch.manual_seed(0)
    seen = set()
    for _ in range(30):
        row = data.__getitems__([0])[0].tolist()
        assert row[:2] == [1, 5] and row[3] == 6 and row[5] == 7 and row[6:] == [0, 0, 0]
        assert row[4] - row[2] == 7 and row[2] >= 100 and row[4] <= 109
        seen.add(row[2] - 101)
    assert seen == {-1, 0, 1}  # +2 and +3 would push 108 past the range; -2, -3 below 100
