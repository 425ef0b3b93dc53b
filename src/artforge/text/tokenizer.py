"""Tokenizers for text models: character-level or byte-level BPE, both HF `tokenizers` objects.

Saved as `tokenizer.json` + `tokenizer_config.json` in the model folder, the format that
`transformers.AutoTokenizer.from_pretrained(folder)` reads.
"""

import json
import re
from collections.abc import Iterable
from pathlib import Path

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

from artforge.errors import UserError

EOS = "<|endoftext|>"
UNK = "<|unk|>"
KINDS = ("char", "bpe")
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_CJK_GAP = re.compile(rf"(?<={_CJK}) (?={_CJK})")
"""WordPiece decoders put spaces between Chinese characters; they are taken out again."""


def control_token(name: str) -> str:
    """The leading token of documents from corpus sub-folder `name` (CTRL's control codes)."""
    return f"<|{name}|>"


class TextTokenizer:
    """A `tokenizers.Tokenizer` with the few operations generation and training need."""

    def __init__(self, tokenizer: Tokenizer, kind: str) -> None:
        self.tokenizer, self.kind = tokenizer, kind
        self.eos_id = tokenizer.token_to_id(EOS)
        self._strings: list[str] | None = None

    # Building --------------------------------------------------------------------------------
    @classmethod
    def train(cls, texts: Iterable[str], kind: str = "char", vocab_size: int = 4096,
              special_tokens: Iterable[str] = ()) -> "TextTokenizer":
        """Learn a vocabulary from `texts`: every character seen (char) or BPE merges (bpe)."""
        specials = [EOS, *dict.fromkeys(special_tokens)]
        if kind == "char":
            tokenizer = _train_char(texts, specials)
        elif kind == "bpe":
            tokenizer = _train_bpe(texts, specials, vocab_size)
        else:
            raise UserError(f"unknown tokenizer {kind!r}; choose one of {', '.join(KINDS)}.")
        return cls(tokenizer, kind)

    def missing_characters(self, texts: Iterable[str]) -> list[str]:
        """The characters of `texts` a character tokenizer has no token for, in first-seen
        order (none for BPE, which spells any text in bytes)."""
        if self.kind != "char":
            return []
        vocab = self.tokenizer.get_vocab()
        seen = dict.fromkeys(ch for text in texts for ch in text)
        return [ch for ch in seen if ch not in vocab]

    def with_characters(self, characters: Iterable[str]) -> "TextTokenizer":
        """This character tokenizer with `characters` added after its tokens: every existing
        id is kept, so a model trained with it still reads them."""
        if self.kind != "char":
            raise ValueError("only a character tokenizer grows by characters")
        vocab = self.tokenizer.get_vocab()
        for ch in characters:
            vocab.setdefault(ch, len(vocab))
        specials = [t for t in vocab if t.startswith("<|") and t.endswith("|>")]
        return TextTokenizer(_char_tokenizer(vocab, sorted(specials, key=vocab.__getitem__)),
                             self.kind)

    # Use ---------------------------------------------------------------------------------------
    @property
    def vocab_size(self) -> int:
        return self.tokenizer.get_vocab_size()

    def encode(self, text: str, *, strict: bool = False) -> list[int]:
        """Token ids of `text`. With `strict`, characters the tokenizer never saw are an error
        instead of the unknown token."""
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        unk = self.tokenizer.token_to_id(UNK)
        if strict and unk is not None and unk in ids:
            unseen = sorted({ch for ch in text if self.tokenizer.token_to_id(ch) is None})
            shown = "".join(unseen[:10]) or "?"
            raise UserError(f"the text has characters this model never saw in training: "
                            f"{shown!r}; use only characters from its corpus.")
        return ids

    def encode_texts(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each of `texts`, as `encode` gives them. A character tokenizer looks
        the characters up itself: the same ids, ten times faster than `tokenizers` splits
        them (a second of a short training run's start-up on a 600,000-character corpus);
        a text holding a special token's spelling is left to `tokenizers`, which matches it
        whole."""
        if self.kind != "char":
            return [e.ids for e in self.tokenizer.encode_batch(texts, add_special_tokens=False)]
        vocab = self.tokenizer.get_vocab()
        unknown = vocab.get(UNK)
        specials = [token for token in vocab if len(token) > 1]
        return [[vocab.get(ch, unknown) for ch in text]
                if unknown is not None and not any(token in text for token in specials)
                else self.encode(text) for text in texts]

    def decode(self, ids: Iterable[int], skip_special_tokens: bool = True) -> str:
        text = self.tokenizer.decode(list(ids), skip_special_tokens=skip_special_tokens)
        return _CJK_GAP.sub("", text) if self.kind == "wordpiece" else text

    def token_strings(self) -> list[str]:
        """What each token id decodes to on its own ('' for special tokens; byte fragments of
        a character that a BPE token cannot show alone decode to U+FFFD)."""
        if self._strings is None:
            self._strings = [self.tokenizer.decode([i], skip_special_tokens=True)
                             for i in range(self.vocab_size)]
        return self._strings

    def token_id(self, token: str) -> int | None:
        return self.tokenizer.token_to_id(token)

    # Files -------------------------------------------------------------------------------------
    def files(self) -> dict[str, bytes]:
        config = {"tokenizer_class": "PreTrainedTokenizerFast", "eos_token": EOS,
                  "bos_token": EOS, "unk_token": UNK if self.kind == "char" else None,
                  "model_max_length": 1 << 30, "artforge_tokenizer": self.kind}
        return {"tokenizer.json": self.tokenizer.to_str().encode(),
                "tokenizer_config.json": json.dumps(config, indent=2).encode()}

    @classmethod
    def load(cls, folder: Path) -> "TextTokenizer":
        folder = Path(folder)
        path = folder / "tokenizer.json"
        if not path.is_file():
            raise UserError(f"{folder} has no tokenizer.json.")
        kind = "bpe"
        config_path = folder / "tokenizer_config.json"
        if config_path.is_file():
            kind = json.loads(config_path.read_text()).get("artforge_tokenizer", kind)
        return cls(Tokenizer.from_file(str(path)), kind)


def _train_char(texts: Iterable[str], specials: list[str]) -> Tokenizer:
    chars = sorted(set().union(*(set(text) for text in texts)))
    vocab = {token: i for i, token in enumerate([*specials, UNK, *chars])}
    return _char_tokenizer(vocab, [*specials, UNK])


def _char_tokenizer(vocab: dict[str, int], specials: list[str]) -> Tokenizer:
    """One token per character of `vocab` (token → id), unknown ones as UNK."""
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token=UNK))
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    tokenizer.decoder = decoders.Fuse()
    tokenizer.add_special_tokens(specials)
    return tokenizer


def _train_bpe(texts: Iterable[str], specials: list[str], vocab_size: int) -> Tokenizer:
    if not 256 + len(specials) < vocab_size <= 1 << 20:
        raise UserError(f"--vocab-size must be more than {256 + len(specials)} (the 256 bytes "
                        "and the special tokens) and at most 1048576.")
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer
