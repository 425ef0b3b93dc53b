import pytest
import torch

from artforge.text.model import GPTConfig, GPTModel
from artforge.text.tokenizer import TextTokenizer

VERSE = ("床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。\n"
         "白日依山盡，黃河入海流。\n欲窮千里目，更上一層樓。\n"
         "春眠不覺曉，處處聞啼鳥。\n夜來風雨聲，花落知多少。\n"
         "紅豆生南國，春來發幾枝。\n願君多采擷，此物最相思。\n"
         "千山鳥飛絕，萬徑人蹤滅。\n孤舟蓑笠翁，獨釣寒江雪。\n"
         "朝辭白帝彩雲間，千里江陵一日還。\n兩岸猿聲啼不住，輕舟已過萬重山。\n")
ENGLISH = ("Shall I compare thee to a summer's day?\nThou art more lovely and more temperate:\n"
           "Rough winds do shake the darling buds of May,\nAnd summer's lease hath all too short "
           "a date;\n")


def tiny_gpt(tokenizer: TextTokenizer, block_size: int = 32, seed: int = 0) -> GPTModel:
    torch.manual_seed(seed)
    config = GPTConfig(vocab_size=tokenizer.vocab_size, block_size=block_size, n_layer=2,
                       n_head=2, n_embd=16)
    return GPTModel(config, tokenizer).eval()


@pytest.fixture
def verse_model() -> GPTModel:
    """An untrained GPT over the characters of a few Tang quatrains."""
    return tiny_gpt(TextTokenizer.train([VERSE], "char"), block_size=64)


@pytest.fixture
def english_model() -> GPTModel:
    return tiny_gpt(TextTokenizer.train([ENGLISH], "char"), block_size=64)
