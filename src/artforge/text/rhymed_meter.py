"""English lines that rhyme by a scheme, by construction: `RhymedMeter` is the LineMeter
(syllables, known words) that ends a line only in a word rhyming with the earlier lines of its
letter (ABAB: line 3 with line 1), and lets a token come only if the line can still end so
within its syllables.

Rhymes are the lexicon's `line_ends`, words its training text often ends lines with. A
letter's first line must end in a word whose rhyme key enough other such words share for the
letter's later lines, and not in a key another letter has; each later line keeps only the keys
its word shares, so all the lines of a letter rhyme together. A letter of one line rhymes with
nothing. A rhyme is a whole word in lower case that goes on from the word before it after a
space, with at most a stop and a closing quote after it. A token may come when the word it
leaves open can still become such a rhyme that finishes the line within its syllables, or any
known word that leaves room for the shortest rhyme. Should no token be left (rare: a
half-typed word can count more syllables than the whole one, "agree" and "agreed"), the line
ends as the meter alone allows and is counted in `unrhymed`.

Rhymes force words a model did not expect, and a small one answers with what it read in
headings, footnotes and markup ("Slice. 4", "_hortensE_", "MANED. Amarillo."), then goes on in
that vein; so a rhymed poem keeps to the punctuation of verse and to words written "night" or
"Night", never "NIGHT" or "niGHT" (the lexicon is blind to case), where any token does.

`fits` tests a token alone (the sampler tries the likeliest first); `allowed` gives them all.
"""

import re

import torch

from artforge.text.english_rhyme import LineEnds, rhyme_index, spelling
from artforge.text.lexicon import Lexicon
from artforge.text.meter import WORD, LineMeter, syllables
from artforge.text.tokenizer import TextTokenizer

_GAP = re.compile(r"[^A-Za-z']*$")
_LAST_WORD = re.compile(r"([A-Za-z']+)([^A-Za-z']*)$")
_BEFORE_RHYME = ("", " ")
"""What may come between a rhyme and the word before it ("": it begins the line): a rhyme
goes on with the words before it, where a small model pushed toward one tacks it on after a
comma ("and the fit, sown") or begins a sentence with it ("the Fame. Sheen")."""
_END_GAP = re.compile("[,.;:!?]?[\"\u201d\u2019]?")
"""What may come between a rhyme and the line's end: a stop, a closing quote."""
_NOT_VERSE = re.compile(r"[^\sA-Za-z',.;:!?\-\"()\u2014\u2018\u2019\u201c\u201d]")
"""Digits, underscores, brackets...: a corpus' footnotes and markup, which a model pushed
toward a rhyme it did not expect falls back on, and then goes on writing."""


class RhymedMeter(LineMeter):
    def __init__(self, tokenizer: TextTokenizer, lines: int, target: int, slack: int = 1,
                 start: str = "", *, lexicon: Lexicon, scheme: tuple[int, ...]) -> None:
        super().__init__(tokenizer, lines, target, slack, start, lexicon)
        self.index, self.scheme = rhyme_index(lexicon.line_ends), scheme
        self.verse_tokens = [not _NOT_VERSE.search(s) for s in self.strings]
        self.verse_mask = torch.tensor(self.verse_tokens)
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

    def _allowed_tokens(self) -> list[int]:
        tokens = super()._allowed_tokens()
        if self.ends is not None:
            rhymed = [i for i in tokens if self._rhymes_on(i)]
            if rhymed:
                tokens = rhymed
            else:
                self.ends = None
                self.unrhymed += 1
        for preferred in (self._is_verse, self._is_plain):
            tokens = [i for i in tokens if preferred(i)] or tokens
        return tokens

    def fits(self, token: int) -> bool:
        return (super().fits(token) and self._is_verse(token) and self._is_plain(token)
                and (self.ends is None or self._rhymes_on(token)))

    def plausible(self) -> torch.Tensor:
        return super().plausible() & self.verse_mask

    def _is_verse(self, token: int) -> bool:
        return self.verse_tokens[token]

    def _is_plain(self, token: int) -> bool:
        """Whether the words `token` ends or begins are written "night" or "Night", and
        those it ends have a letter (a lone quote counts no syllable, so lines of them would
        never end)."""
        text = self.tail + self.strings[token]
        words = WORD.findall(text)
        open_word = [words.pop()] if words and WORD.match(text[-1:]) else []
        return all(_cased(w) and w.strip("'") for w in words) and all(map(_cased, open_word))

    def _rhymes_on(self, token: int) -> bool:
        return self._still_rhymes(self.tail + self.strings[token])

    def _still_rhymes(self, text: str) -> bool:
        """Whether the line, its last word and gap now `text`, can still end in a rhyme: a
        word in lower case after a space (never "stars,-boon"), then at most a stop and a
        closing quote."""
        ends, room = self.ends, self.high - self.base
        cost = self.lexicon.cost(text)
        if not text.endswith("\n") and cost is not None:
            # A rhyming word fits after the open one, or after the gap; after a gap that
            # cannot lead to one ("stars,--"), only with a word of a syllable between them.
            gap = _GAP.search(text).group()
            leads = any(g.startswith(gap) for g in _BEFORE_RHYME)
            if cost + ends.least + (not leads) <= room:
                return True
        last = _LAST_WORD.search(text)
        if last is None:
            return False
        word, gap = last.groups()
        before = text[:last.start(1)]
        if not ((word.islower() or word in ("I", "O")) and word[0].isalpha()
                and (_GAP.search(before).group() if before else self.gap_before_tail)
                in _BEFORE_RHYME):
            return False
        if gap:  # the word is done: the line may end after it, or has
            return (spelling(word) in ends.words and bool(_END_GAP.fullmatch(gap.rstrip("\n")))
                    and (text.endswith("\n")
                         or self.low <= self.base + syllables(text) <= self.high))
        done = self.base + syllables(before)
        if not word.islower():  # "I" and "O" go on to no word in lower case
            return spelling(word) in ends.words and self.low <= done + 1 <= self.high
        return ends.can_become(word, self.low - done, self.high - done)

    def _set_line(self, line: str) -> None:
        super()._set_line(line)
        # The gap before the line's last word ("" at the line's start).
        self.gap_before_tail = _GAP.search(line[:len(line) - len(self.tail)]).group()

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
