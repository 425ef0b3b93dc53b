import pytest
import torch

from artforge.music.model import LSTMMusicModel, MusicConfig
from artforge.music.tokens import make_tokenizer
from tests.music.fixtures import write_song_folder
from tests.threads import single_thread


@pytest.fixture
def songs(tmp_path):
    return write_song_folder(tmp_path / "songs", 6)


def tiny_model(cls=LSTMMusicModel, tokenizer: str = "REMI", **overrides):
    tokens = make_tokenizer(tokenizer)
    config = MusicConfig(vocab_size=len(tokens), embed=8, hidden=16, layers=1, heads=2,
                         dropout=0.0, context=32, tokenizer=tokenizer).replace(**overrides)
    torch.manual_seed(0)
    model = cls.from_config(config)
    model.tokenizer = tokens
    return model.eval()


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with single_thread():
        yield
