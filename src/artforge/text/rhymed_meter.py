"""English lines that rhyme by a scheme, by construction: `RhymedMeter` is the LineMeter
(syllables, known words) that ends a line only in a word rhyming with the earlier lines of its
letter (ABAB: line 3 with line 1), and lets a token come only if the line can still end so
within its syllables.

A letter's first line must end in a word whose rhyme key enough other words of the lexicon
share for the letter's later lines, and not in a key another letter has; each later line keeps
only the keys its word shares, so all the lines of a letter rhyme together. A letter of one
line rhymes with nothing. A token may come when the word it leaves open can still become a
rhyming word that finishes the line within its syllables, or any known word that leaves room
for the shortest rhyming one. Should no token be left (rare: a half-typed word can count more
syllables than the whole one, "agree" and "agreed"), the line ends as the meter alone allows
and is counted in `unrhymed`.

Rhymes force words a model did not expect, and a small one answers with what it read in
headings, footnotes and markup ("Slice. 4", "_hortensE_", "MANED. Amarillo."), then goes on in
that vein; so a rhymed poem keeps to the punctuation of verse and to words written "night" or
"Night", never "NIGHT" or "niGHT" (the lexicon is blind to case), where any token does.
"""

import re

import torch

from artforge.text.english_rhyme import LineEnds, rhyme_index, spelling
from artforge.text.lexicon import Lexicon
from artforge.text.meter import WORD, LineMeter, syllables, word_syllables
from artforge.text.tokenizer import TextTokenizer

_NOT_VERSE = re.compile(r"[^\sA-Za-z',.;:!?\-\"()\u2014\u2018\u2019\u201c\u201d]")
"""Digits, underscores, brackets...: a corpus' footnotes and markup, which a model pushed
toward a rhyme it did not expect falls back on, and then goes on writing."""


class RhymedMeter(LineMeter):
    def __init__(self, tokenizer: TextTokenizer, lines: int, target: int, slack: int = 1,
                 start: str = "", *, lexicon: Lexicon, scheme: tuple[int, ...]) -> None:
        super().__init__(tokenizer, lines, target, slack, start, lexicon)
        self.index, self.scheme = rhyme_index(lexicon.words), scheme
        self.verse_tokens = torch.tensor([not _NOT_VERSE.search(s) for s in self.strings])
        # Per letter: the keys its lines share so far, and its words (replaced, never changed
        # in place: the copies of one constraint for a batch share these dicts).
        self.letter_keys: dict[int, frozenset[str]] = {}
        self.letter_words: dict[int, frozenset[str]] = {}
        self.unrhymed = 0
        for n, line in enumerate(start.split("\n")[:-1]):
            self._end_line(n, self._keys_for(n), _last_word(line))
        self._start_line()

    def _keys_for(self, n: int) -> frozenset[str] | None:
        """The keys line n may end in; None when it rhymes with nothing."""
        letter = self.scheme[n]
        if letter in self.letter_keys:
            return self.letter_keys[letter]
        lines_left = self.scheme[n:].count(letter)
        if lines_left == 1:
            return None
        taken = frozenset().union(*self.letter_keys.values())
        return self.index.keys_shared_by(lines_left) - taken

    def _start_line(self) -> None:
        self.line_keys = None if self.finished() else self._keys_for(self.done_lines)
        self.ends: LineEnds | None = None
        if self.line_keys is not None:
            used = self.letter_words.get(self.scheme[self.done_lines], frozenset())
            self.ends = self.index.line_ends(self.line_keys, used)
            if not self.ends.words:  # the lexicon has no rhyme for this line
                self.ends = None
                self.unrhymed += 1

    def _end_line(self, n: int, keys: frozenset[str] | None, word: str | None) -> None:
        letter = self.scheme[n]
        words = self.letter_words.get(letter, frozenset())
        shared = keys & self.index.keys.get(word, frozenset()) if keys and word else None
        if shared and word not in words:
            self.letter_keys = {**self.letter_keys, letter: shared}
            self.letter_words = {**self.letter_words, letter: words | {word}}

    def allowed(self) -> torch.Tensor:
        mask = super().allowed()
        verse = mask & self.verse_tokens
        tokens = (verse if verse.any() else mask).nonzero().flatten().tolist()
        tokens = [i for i in tokens
                  if all(map(_cased, WORD.findall(self.tail + self.strings[i])))] or tokens
        if self.ends is not None:
            rhymed = [i for i in tokens if self._still_rhymes(self.tail + self.strings[i])]
            if rhymed:
                tokens = rhymed
            else:
                self.ends = None
                self.unrhymed += 1
        allowed = torch.zeros_like(mask)
        allowed[tokens] = True
        return allowed

    def _still_rhymes(self, text: str) -> bool:
        """Whether the line, its last word and gap now `text`, can still end in a rhyme."""
        ends, room = self.ends, self.high - self.base
        words = WORD.findall(text)
        if text.endswith("\n"):
            return bool(words) and spelling(words[-1]) in ends.words
        cost = self.lexicon.cost(text)
        if cost is not None and cost + ends.least <= room:
            return True  # a rhyming word fits after the open one (or after the gap)
        if not WORD.match(text[-1:]):  # ends in a gap: a line break may come next
            return (bool(words) and spelling(words[-1]) in ends.words
                    and self.low <= self.base + syllables(text) <= self.high)
        head = words.pop()
        done = self.base + sum(map(word_syllables, words))
        return ends.can_become(head.lower().lstrip("'"), self.low - done, self.high - done)

    def advance(self, token: int) -> None:
        text = self.strings[token]
        if not text.endswith("\n"):
            super().advance(token)
            return
        self._end_line(self.done_lines, self.line_keys, _last_word(self.line + text))
        super().advance(token)
        self._start_line()


def _last_word(line: str) -> str | None:
    words = WORD.findall(line)
    return spelling(words[-1]) if words else None


def _cased(word: str) -> bool:
    """Whether a word is written "night" or "Night"."""
    word = word.lstrip("'")
    return word[1:] == word[1:].lower()
