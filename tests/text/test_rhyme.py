import pytest

from artforge.text.rhyme import rhyme_class


@pytest.mark.parametrize("rhyming", ["光霜鄉長江", "扉微飛歸", "人心春深雲", "明城情東", "天年山間",
                                     "流愁秋樓頭", "玉衣雨期"])
def test_characters_of_one_rhyme_share_a_class(rhyming):
    assert len({rhyme_class(ch) for ch in rhyming}) == 1, [rhyme_class(c) for c in rhyming]


def test_different_rhymes_differ_and_non_han_has_none():
    assert len({rhyme_class(ch) for ch in "光扉人明天流玉不花"}) == 9
    assert rhyme_class("，") is None
