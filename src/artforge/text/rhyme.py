"""Rhyme classes of Han characters, from their Mandarin finals (pypinyin).

Tang poets rhymed by the Middle Chinese rhyme books, which modern finals only approximate;
the classes here merge finals that differ by their medial (i, u, ü), as modern rhyme
dictionaries (十三辙) do, so 光 guang, 霜 shuang and 鄉 xiang share the class "ang".
"""

import functools

_MEDIAL_FREE = {"ui": "ei", "iu": "ou", "un": "en", "vn": "en", "ve": "e", "ie": "e",
                "ong": "eng", "iong": "eng", "ing": "eng", "in": "en", "v": "i", "u": "u"}


@functools.cache
def rhyme_class(ch: str) -> str | None:
    """The rhyme class of one character, or None when it has no reading."""
    from pypinyin import Style, pinyin

    final = pinyin(ch, style=Style.FINALS, strict=False, errors="ignore")
    if not final or not final[0] or not final[0][0]:
        return None
    final = final[0][0]
    if final in _MEDIAL_FREE:
        return _MEDIAL_FREE[final]
    if len(final) > 1 and final[0] in "iuv" and final[1] in "aeo":
        final = final[1:]
    return final
