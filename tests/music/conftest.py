import os

import pytest
import torch

from artforge.music.model import LSTMMusicModel, MusicConfig
from artforge.music.tokens import make_tokenizer
from tests.music.fixtures import write_song_folder


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
    """Tiny models run faster on one thread; on a busy shared machine, several times faster.
    ARTFORGE_THREADS covers the Trainer's own thread setting, which happens once a process."""
    before, env = torch.get_num_threads(), os.environ.get("ARTFORGE_THREADS")
    torch.set_num_threads(1)
    os.environ["ARTFORGE_THREADS"] = "1"
    yield
    torch.set_num_threads(before)
    if env is None:
        os.environ.pop("ARTFORGE_THREADS", None)
    else:
        os.environ["ARTFORGE_THREADS"] = env
