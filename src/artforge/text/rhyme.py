"""Rhyme classes of Han characters, from their Mandarin finals (pypinyin).

Tang poets rhymed by the Middle Chinese rhyme books, which modern finals only approximate;
the classes here merge finals that differ by their medial (i, u, ü), as modern rhyme
dictionaries (十三辙) do, so 光 guang, 霜 shuang and 鄉 xiang share the class "ang".
"""

import functools

_MERGED = {"ong": "eng", "iong": "eng", "ing": "eng", "in": "en", "vn": "en", "v": "i"}
"""Finals that rhyme with another class in 十三辙 (中东, 人辰, 一七)."""


@functools.cache
def rhyme_class(ch: str) -> str | None:
    """The rhyme class of one character, or None when it has no reading."""
    from pypinyin import Style, pinyin

    # strict: the real final (玉 yù is "v", not the "u" its spelling shows).
    final = pinyin(ch, style=Style.FINALS, strict=True, errors="ignore")
    if not final or not final[0] or not final[0][0]:
        return None
    final = final[0][0]
    if final in _MERGED:
        return _MERGED[final]
    if len(final) > 1 and final[0] in "iuv" and final[1] in "aeo":
        final = final[1:]  # the medial does not change the rhyme: 光 guang, 鄉 xiang → ang
    return final
