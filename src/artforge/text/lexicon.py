"""The words a model has read: English forms keep to them, so a small model's poems do not
invent words ("the wint'ring glimmerst").

A lexicon is the set of words of the model's training text (the words seen at least three
times in a text of a million characters or more, so that misprints stay out; every word in a
smaller one) and the beginnings of them. A token fits when each word it completes is a known
word and the word it leaves open can still become one within the line's syllables.

Rhymed lines end in the lexicon's `line_ends`: the words its text ends lines with often enough,
so that a rhyme is a word a reader expects at a line's end.

Chinese verse reduplicates (叠字) only characters its training text does (`doubled_characters`:
悠悠, not 雨雨), by the same thresholds.
"""

import collections
import functools
import re

from artforge.text.constraint import is_han
from artforge.text.meter import WORD, word_syllables

LARGE_TEXT, LARGE_TEXT_MIN_COUNT = 1_000_000, 3
LINES_PER_END, END_SHARE, FEW_LINES = 30_000, 0.1, 1_000
"""builtin:english-verse's 619,000 lines end in 3,541 such words ("day", "sheen", "aim"; not
"ins", which rhymed with "yes" before, nor "by" or "who")."""
_LAST_WORD = re.compile(r"([A-Za-z']+)[^A-Za-z'\n]*$", re.MULTILINE)
_DOUBLED = re.compile(r"(\w)\1")


class Lexicon:
    def __init__(self, words: set[str], line_ends: set[str] | None = None) -> None:
        self.words = frozenset(words)
        self.line_ends = self.words if line_ends is None else frozenset(line_ends)
        """The words a rhymed line may end in (`line_end_words`)."""
        self.least: dict[str, int] = {}
        """Every beginning of a word → the fewest syllables of a word it begins."""
        for word in self.words:
            count = word_syllables(word)
            for k in range(1, len(word) + 1):
                head = word[:k]
                self.least[head] = min(self.least.get(head, count), count)

    def __len__(self) -> int:
        return len(self.words)

    def cost(self, text: str) -> int | None:
        """The syllables `text` (a line's last word, its gap and a token) adds at the least:
        its words', with the word it ends inside finished as briefly as a known word allows;
        None when a word it completes is unknown or its last word begins no known word."""
        found = WORD.findall(text.lower())
        open_word = found.pop() if found and WORD.match(text[-1:]) else None
        if not all(_known(w, self.words) for w in found):
            return None
        done = sum(word_syllables(w) for w in found)
        if open_word is None:
            return done
        least = self.least.get(open_word)
        if least is None and _known(open_word, self.words):  # a closing quote: "winds'"
            least = word_syllables(open_word)
        return None if least is None else done + least

    def fits(self, text: str) -> bool:
        return self.cost(text) is not None


def _known(word: str, words: frozenset[str]) -> bool:
    return word in words or word.strip("'") in words


@functools.lru_cache(maxsize=4)
def lexicon_of(text: str) -> Lexicon:
    """The lexicon of a training text (lower case); built once per text in a process."""
    counts = collections.Counter(WORD.findall(text.lower()))
    least = LARGE_TEXT_MIN_COUNT if len(text) >= LARGE_TEXT else 1
    # A quote alone ("''", a double quote in some books) is no word: it would count no
    # syllable, and a line could go on with them for ever.
    words = {w for w, n in counts.items() if n >= least and w.strip("'")}
    words |= {w.strip("'") for w in words}
    ends = line_end_words(text, counts)
    return Lexicon(words, None if ends is None else ends & words)


def line_end_words(text: str, counts: collections.Counter[str]) -> set[str] | None:
    """The words `text` (lower case) ends lines with: at least once in LINES_PER_END lines and
    in END_SHARE of their uses (words of a line's end, not "of", "his" or "the"); None (any
    word) when it has fewer than FEW_LINES lines, too few to tell. `counts`: its words'."""
    ends = collections.Counter(w.strip("'") for w in _LAST_WORD.findall(text.lower()))
    lines = sum(ends.values())
    if lines < FEW_LINES:
        return None
    least = max(1, round(lines / LINES_PER_END))
    spelled: collections.Counter[str] = collections.Counter()
    for word, n in counts.items():  # "night'" (a closing quote) counts for "night"
        spelled[word.strip("'")] += n
    return {w for w, n in ends.items() if n >= least and n >= END_SHARE * spelled[w]}


@functools.lru_cache(maxsize=4)
def doubled_characters(text: str) -> frozenset[str]:
    """The Han characters a training text writes twice running (叠字: 悠悠, 萧萧), at least
    LARGE_TEXT_MIN_COUNT times in a text of LARGE_TEXT characters or more (builtin:tang's
    2.6 million characters double 悠 592 times, 见 twice, 雨 never), once in a smaller one;
    built once per text in a process."""
    counts = collections.Counter(ch for ch in _DOUBLED.findall(text) if is_han(ch))
    least = LARGE_TEXT_MIN_COUNT if len(text) >= LARGE_TEXT else 1
    return frozenset(ch for ch, n in counts.items() if n >= least)
