"""English line forms: a number of lines, each with a number of syllables (give or take one).

Syllables are counted the way a reader guesses them (vowel groups, a silent final e), so the
form is "syllable-ish", and it holds by construction: a token may come next only if the line
stays within the syllable limit, and a line break only once the line is long enough. With a
lexicon (artforge.text.lexicon), only tokens that keep to its words, where any token does.
"""

import dataclasses
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
    per_token = True

    def __init__(self, tokenizer: TextTokenizer, lines: int, target: int, slack: int = 1,
                 start: str = "", lexicon: "Lexicon | None" = None) -> None:
        self.lines, self.low, self.high = lines, max(1, target - slack), target + slack
        self.lexicon = lexicon
        self.strings = tokenizer.token_strings()
        self.vocab = len(self.strings)
        # Tokens usable inside a line, and tokens that end one ("\n" with a line-free head).
        self.is_inline = [bool(s) and "\n" not in s and "\ufffd" not in s
                          for s in self.strings]
        self.is_break = [s.endswith("\n") and "\n" not in s[:-1] and "\ufffd" not in s
                         for s in self.strings]
        self.inline = [i for i, ok in enumerate(self.is_inline) if ok]
        self.breaks = [i for i, ok in enumerate(self.is_break) if ok]
        self._glance = _Glance.of(self.strings, self.is_inline, self.is_break)
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
        tokens = self._allowed_tokens()
        mask[tokens] = True
        return mask

    def _allowed_tokens(self) -> list[int]:
        """The tokens that keep the meter, and of them those that keep to the lexicon's words
        (all of them if none does)."""
        if self.finished():
            return []
        # Only the line's last word (and the gap after it) can change its count.
        tokens = [i for i in self.inline if self._keeps_meter(i)]
        if self.line.strip():
            tokens += [i for i in self.breaks if self._keeps_meter(i)]
        if self.lexicon is None:
            return tokens
        return [i for i in tokens if self._known_words(i)] or tokens

    def fits(self, token: int) -> bool:
        return (not self.finished() and self._keeps_meter(token)
                and (self.lexicon is None or self._known_words(token)))

    def plausible(self) -> torch.Tensor:
        """The tokens whose own syllables fit the line's room where they start a word, and
        those that go on with its last word where the lexicon has words that begin so."""
        glance = self._glance
        if self.finished():
            return torch.zeros(self.vocab, dtype=torch.bool)
        count = syllables(self.tail) + glance.syllables
        room = count <= self.high - self.base
        plausible = glance.inline & room
        if self.line.strip():
            plausible |= glance.breaks & room & (count >= self.low - self.base)
        if not WORD.match(self.tail[-1:]):
            return plausible
        heads = {self.tail.lower(), self.tail.lower().lstrip("'")}  # 'Tis: a known word
        going_on = torch.zeros_like(plausible)
        for first, tokens in glance.by_first.items():
            if (self.lexicon is None or first == "'"
                    or any(head + first in self.lexicon.least for head in heads)):
                going_on |= tokens
        return torch.where(glance.glues, going_on & (glance.inline | glance.breaks), plausible)

    def _keeps_meter(self, token: int) -> bool:
        """Whether the line stays within its syllables after `token`, and a line break comes
        only once it is long enough."""
        text = self.tail + self.strings[token]
        if self.is_inline[token]:
            return _bounded(text) and syllables(text) <= self.high - self.base
        return (self.is_break[token] and bool(self.line.strip())
                and self.low <= self.base + syllables(text) <= self.high)

    def _known_words(self, token: int) -> bool:
        """Whether `token` keeps to the lexicon's words and leaves a word open only if a known
        word can finish it within the line's syllables."""
        cost = self.lexicon.cost(self.tail + self.strings[token])
        return cost is not None and cost <= self.high - self.base

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


@dataclasses.dataclass(frozen=True)
class _Glance:
    """What `plausible` reads of each token: whether it may stand in a line or end one, its
    syllables, and whether it goes on with the word before it (by its first letter)."""

    inline: torch.Tensor
    breaks: torch.Tensor
    syllables: torch.Tensor
    glues: torch.Tensor
    by_first: dict[str, torch.Tensor]

    @classmethod
    def of(cls, strings: list[str], inline: list[bool], breaks: list[bool]) -> "_Glance":
        glues = torch.tensor([bool(WORD.match(s[:1])) for s in strings])
        firsts = [s[:1].lower() for s in strings]
        by_first = {first: torch.tensor([f == first for f in firsts]) & glues
                    for first in set(firsts) if WORD.match(first)}
        return cls(torch.tensor(inline), torch.tensor(breaks),
                   torch.tensor([syllables(s) for s in strings]), glues, by_first)


def _bounded(text: str) -> bool:
    word, gap = _TAIL.search(text).groups()
    return len(word) <= MAX_WORD and len(gap) <= MAX_GAP
