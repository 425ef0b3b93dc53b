"""English line forms: a number of lines, each with a number of syllables (give or take one).

Syllables are counted the way a reader guesses them (vowel groups, a silent final e), so the
form is "syllable-ish", and it holds by construction: a token may come next only if the line
stays within the syllable limit, and a line break only once the line is long enough. With a
lexicon (artforge.text.lexicon), only tokens that keep to its words, where any token does.
"""

import functools
import re
from typing import TYPE_CHECKING

import torch

from artforge.text.constraint import Constraint
from artforge.text.tokenizer import TextTokenizer

if TYPE_CHECKING:
    from artforge.text.lexicon import Lexicon

WORD = re.compile(r"[A-Za-z']+")
_VOWELS = re.compile(r"[aeiouy]+")
_TAIL = re.compile(r"([A-Za-z']*)([^A-Za-z']*)$")
MAX_WORD, MAX_GAP = 20, 3
"""Words stay under 20 letters and gaps between them under 4 characters, so every line
reaches its syllables in a bounded number of tokens."""


@functools.lru_cache(maxsize=65536)
def word_syllables(word: str) -> int:
    word = word.lower().strip("'")
    if not word:
        return 0
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith("ed") and not word.endswith(("ted", "ded")) and count > 1:
        count -= 1
    return max(count, 1)


def syllables(text: str) -> int:
    return sum(word_syllables(w) for w in WORD.findall(text))


class LineMeter(Constraint):
    def __init__(self, tokenizer: TextTokenizer, lines: int, target: int, slack: int = 1,
                 start: str = "", lexicon: "Lexicon | None" = None) -> None:
        self.lines, self.low, self.high = lines, max(1, target - slack), target + slack
        self.lexicon = lexicon
        self.strings = tokenizer.token_strings()
        self.vocab = len(self.strings)
        # Tokens usable inside a line, and tokens that end one ("\n" with a line-free head).
        self.inline = [i for i, s in enumerate(self.strings)
                       if s and "\n" not in s and "\ufffd" not in s]
        self.breaks = [i for i, s in enumerate(self.strings)
                       if s.endswith("\n") and "\n" not in s[:-1] and "\ufffd" not in s]
        if not self.breaks:
            from artforge.errors import UserError

            raise UserError("this model's vocabulary has no line-break token, so it cannot "
                            "write a form of lines.")
        self.done_lines = start.count("\n")
        self.line = ""
        self._set_line(start.rsplit("\n", 1)[-1])
        if self.done_lines >= lines:
            from artforge.errors import UserError

            raise UserError(f"the prompt already has {self.done_lines} lines; the form has "
                            f"{lines}.")

    def allowed(self) -> torch.Tensor:
        mask = torch.zeros(self.vocab, dtype=torch.bool)
        if self.finished():
            return mask
        # Only the line's last word (and the gap after it) can change its count.
        room = self.high - self.base
        for i in self.inline:
            text = self.tail + self.strings[i]
            if _bounded(text) and syllables(text) <= room:
                mask[i] = True
        if self.line.strip():
            for i in self.breaks:
                if self.low <= self.base + syllables(self.tail + self.strings[i]) <= self.high:
                    mask[i] = True
        return self._known_words(mask) if self.lexicon is not None else mask

    def _known_words(self, mask: torch.Tensor) -> torch.Tensor:
        """The allowed tokens that keep to the lexicon's words, and leave a word open only if
        a known word can finish it within the line's syllables; all of them if none does."""
        cost, tail, room = self.lexicon.cost, self.tail, self.high - self.base
        keep = [i for i in mask.nonzero().flatten().tolist()
                if (c := cost(tail + self.strings[i])) is not None and c <= room]
        if not keep:
            return mask
        known = torch.zeros_like(mask)
        known[keep] = True
        return known

    def advance(self, token: int) -> None:
        text = self.strings[token]
        if text.endswith("\n"):
            self.done_lines += 1
            self._set_line("")
        else:
            self._set_line(self.line + text)

    def _set_line(self, line: str) -> None:
        self.line = line
        cut = _TAIL.search(line).start()
        self.tail, self.base = line[cut:], syllables(line[:cut])

    def finished(self) -> bool:
        return self.done_lines >= self.lines

    def max_tokens(self) -> int:
        # Every MAX_WORD + MAX_GAP characters start a word, which adds a syllable.
        return (self.lines - self.done_lines) * (self.high + 1) * (MAX_WORD + MAX_GAP + 1)


def _bounded(text: str) -> bool:
    word, gap = _TAIL.search(text).groups()
    return len(word) <= MAX_WORD and len(gap) <= MAX_GAP
