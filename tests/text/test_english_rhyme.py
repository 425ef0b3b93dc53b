import pytest

from artforge.text.english_rhyme import LineEnds, RhymeIndex, rhyme_key, rhyme_keys, rhymes


@pytest.mark.parametrize("ipa, key", [
    ("'naɪt", "aɪt"), ("dɪ.'laɪt", "aɪt"), ("'lʌv", "ʌv"), ("ə.'bʌv", "ʌv"),
    ("tʌ.'mɑ.`roʊ", "ɑroʊ"),  # the primary stress decides, not a later secondary one
    ("'sən", "ʌn"),  # a stressed schwa is the vowel of "love"
    ("biː", "iː"),  # a monosyllable without a mark: its vowel on
    ("ðə", None), ("'ðə", None), ("ðəm", None),  # weak forms rhyme with nothing
])
def test_a_rhyme_key_runs_from_the_last_stressed_vowel_to_the_end(ipa, key):
    assert rhyme_key(ipa) == key


def test_words_rhyme_by_the_dictionary():
    assert rhyme_keys("night") == rhyme_keys("Delight") == rhyme_keys("light") == {"aɪt"}
    assert rhymes("love", "above") and rhymes("sea", "free") and rhymes("done", "sun")
    assert rhyme_keys("fire") == {"aɪr", "aɪɛː"} and rhymes("fire", "desire")  # two sayings
    assert rhyme_keys("again") == {"ɛn"} and not rhymes("again", "rain")  # eɪn, as it lists
    assert not rhymes("night", "Night'") and not rhymes("the", "a")
    assert rhyme_keys("them") == {"ɛm"} and not rhymes("them", "thumb")  # not its weak ðəm
    assert not rhymes("night", "knight") and not rhymes("cuckoos", "cuckoo's")  # said alike
    assert rhyme_keys("glimmerst") == frozenset() and not rhymes("glimmerst", "first")


def test_line_ends_know_the_syllables_of_the_words_each_beginning_starts():
    ends = LineEnds.of(frozenset({"light", "delight", "delighted"}))
    assert ends.least == 1 and ends.counts["deli"] == (1 << 2) | (1 << 3)
    assert ends.can_become("deli", 2, 2) and ends.can_become("deli", 3, 5)
    assert not ends.can_become("deli", 4, 5) and not ends.can_become("li", 2, 3)
    assert not ends.can_become("x", 0, 9)


def test_the_index_keeps_known_words_by_key_and_line_ends_leave_out_used_ones():
    index = RhymeIndex(frozenset({"night", "light", "'delight", "love", "above", "glimmerst",
                                  "b", "bee", "i", "eye"}))
    assert set(index.keys) == {"night", "light", "delight", "love", "above", "bee", "i", "eye"}
    assert index.keys_shared_by(3) == {"aɪt"}
    assert index.keys_shared_by(2) == {"aɪt", "ʌv"}  # not "aɪ": i and eye are said alike
    ends = index.line_ends(frozenset({"aɪt"}), frozenset({"night"}))
    assert ends.words == {"light", "delight"}
    knight = RhymeIndex(frozenset({"night", "knight", "light"}))
    assert knight.line_ends(frozenset({"aɪt"}), frozenset({"night"})).words == {"light"}
