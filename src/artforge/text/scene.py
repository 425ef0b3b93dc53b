"""The season and time of day a Chinese poem names, and where its couplets disagree on them.

A poet keeps one scene: a small model writes 春日不禁关，秋来空使君 (spring, then autumn) or
puts dawn and the setting sun in one couplet. This module lists the words a reader takes as
naming a season or a time of day, and nothing else: a marker names one season or a few (snow
falls in winter and early spring), and one time of day or two.

Two markers conflict when
  - they name no season in common (春 and 秋; 蝉, summer or autumn, and 雪, winter or spring), or
  - they name times of day that are not the same nor next to each other on the day's cycle
    dawn 晓 → noon 午 → dusk 暮 → night 夜 → dawn: dusk into night and night into dawn are a
    poem's natural progress (夜来风雨声 after 春眠不觉晓), dawn beside dusk and noon beside
    night are not.
Months are not markers: those are different seasons in sequence only in long poems, and 三月
is as often "three months" (烽火连三月).

Read in the longest match first, so that a compound in which the character does not name the
season or time (千秋, ages; 暮年, old age; 夜郎, a kingdom) hides it, and one that names
something else (暮春: late spring, not spring at dusk) says that instead. Text in traditional
characters is read as simplified (OpenCC t2s).

Left out, as they do not name one season or time to a reader of Tang verse: 月 and 星 (dusk,
night and dawn; 月 is also a month), 寒 (the cold of any season: 寒山, and 寒食 is spring), 朝
(the court, 朝廷, as often as the morning), 雁 (geese fly south in autumn and north in
spring), 柳 (spring willows, autumn's 衰柳, farewell willows), 燕 (the state of Yan as often as
a swallow), 荷 alone (to carry: 荷锄) and lotus leaves (they stand from late spring on), 枫
alone (青枫浦 of 春江花月夜), 梨花 (snow, in 千树万树梨花开), 冰 (冰心, 冰轮).
"""

import dataclasses
import functools
from collections.abc import Callable
from itertools import product

SEASONS = "春夏秋冬"
TIMES = "晓午暮夜"
"""Dawn, noon, dusk, night: a cycle, night running into dawn."""

_SEASON_WORDS = {
    "春": "春", "夏": "夏", "秋": "秋", "冬": "冬",
    "春夏": "春夏", "夏秋": "夏秋", "秋冬": "秋冬", "冬春": "冬春", "春冬": "冬春",
    # Spring: its wind, blossoms, catkins and festivals; the oriole sings on into summer.
    "东风": "春", "杏花": "春", "红杏": "春", "桃花": "春", "柳絮": "春", "杨花": "春",
    "寒食": "春", "踏青": "春", "元宵": "春", "莺": "春夏",
    # Summer: its festival and rains; cicadas, lotus flowers, fireflies and heat last into
    # autumn (lotus leaves, 荷叶 and 芰荷, stand from late spring).
    "端午": "夏", "梅雨": "夏", "蝉": "夏秋", "荷花": "夏秋", "芙蕖": "夏秋", "萤": "夏秋",
    "暑": "夏秋",
    # Autumn: its wind, festivals, leaves, reeds, crickets and the pounding of winter clothes;
    # fallen and yellow leaves lie on into winter.
    "西风": "秋", "金风": "秋", "重阳": "秋", "七夕": "秋", "菊": "秋", "红叶": "秋",
    "枫叶": "秋", "霜叶": "秋", "芦花": "秋", "寒蝉": "秋", "蛩": "秋", "蟋蟀": "秋",
    "促织": "秋", "捣衣": "秋", "砧": "秋", "落叶": "秋冬", "黄叶": "秋冬",
    # Winter: the year's end; its last month, snow and plum blossom run into spring (腊后春前),
    # frost and the north wind come from autumn.
    "岁暮": "冬", "岁晚": "冬", "岁除": "冬", "除夕": "冬", "腊": "冬春", "雪": "冬春",
    "梅花": "冬春", "霜": "秋冬", "北风": "秋冬", "朔风": "秋冬",
    # The late part of a season, not its evening.
    "暮春": "春", "晚春": "春", "春暮": "春", "春晚": "春", "暮秋": "秋", "晚秋": "秋",
    "秋暮": "秋", "秋晚": "秋", "暮冬": "冬",
}
_TIME_WORDS = {
    "晓": "晓", "晨": "晓", "曙": "晓", "平明": "晓", "黎明": "晓", "朝霞": "晓", "日出": "晓",
    "午": "午",
    "暮": "暮", "晚": "暮", "黄昏": "暮", "斜阳": "暮", "夕阳": "暮", "夕照": "暮", "夕晖": "暮",
    "残阳": "暮", "落日": "暮", "斜日": "暮", "日落": "暮", "日斜": "暮", "斜晖": "暮",
    "落晖": "暮",
    # 夕 is the evening and the night (今夕, 竟夕: all night).
    "夕": "暮夜", "元宵": "夜",
    "夜": "夜", "宵": "夜", "午夜": "夜", "初更": "夜", "二更": "夜", "三更": "夜", "四更": "夜",
    "更深": "夜", "深更": "夜", "更漏": "夜", "更阑": "夜", "残更": "夜", "五更": "夜晓",
}
_NEITHER = (
    # Years, ages, youth, long life, all the year round.
    "春秋", "千秋", "万秋", "三秋", "千春", "万春", "长春", "青春", "冬夏", "寒暑", "星霜",
    "伏腊", "夏腊", "僧腊", "腊高",
    # China, places, dynasties, names, an office, sounds.
    "华夏", "诸夏", "夷夏", "大夏", "夏口", "夏侯", "夏后", "夏禹", "夏台", "宜春", "典午",
    "子午", "午桥", "夕郎", "夜郎", "霜台", "藁砧", "冬冬", "丁冬",
    # Things named after the season or its creatures: a hair's tip, an evergreen, jewels and
    # headdresses, thin and shed things, a scholar's study by fireflies.
    "秋毫", "冬青", "貂蝉", "金蝉", "玉蝉", "蝉鬓", "蝉冠", "蝉翼", "蝉蜕", "夜光", "囊萤",
    "聚萤", "萤窗",
    # Likenesses (水似秋: water clear as autumn's), white hair, moonlight and blades, hardship
    # and rigour, the peaks' lasting snow.
    "如春", "似春", "如秋", "似秋", "如雪", "似雪", "如霜", "似霜", "鬓雪", "雪鬓", "鬓霜",
    "霜鬓", "霜毛", "霜刃", "霜威", "风霜", "冰霜", "雪山", "雪岭", "雪峰", "雪耻",
    # Morning and evening (always), old age, the grave, a month's end, diligence.
    "朝夕", "旦夕", "晓夕", "晨昏", "昏晓", "朝暮", "旦暮", "早晚", "日夜", "昼夜", "暮年",
    "暮齿", "迟暮", "衰暮", "晚年", "晚节", "晚岁", "晚成", "月暮", "夜台", "宵旰", "宵衣",
)


@dataclasses.dataclass(frozen=True)
class Marker:
    word: str
    seasons: str
    """The seasons it names (of SEASONS), "" for none."""
    times: str
    """The times of day it names (of TIMES), "" for none."""

    def conflicts(self, other: "Marker") -> bool:
        """Whether the two name no season in common, or only times of day apart on the
        cycle."""
        if self.seasons and other.seasons and not set(self.seasons) & set(other.seasons):
            return True
        times = list(product(map(TIMES.index, self.times), map(TIMES.index, other.times)))
        return bool(times) and all((a - b) % len(TIMES) == 2 for a, b in times)


@functools.cache
def _lexicon() -> dict[str, Marker]:
    words = {*_SEASON_WORDS, *_TIME_WORDS, *_NEITHER}
    return {w: Marker(w, _SEASON_WORDS.get(w, ""), _TIME_WORDS.get(w, "")) for w in words}


@functools.cache
def _to_simplified() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def markers(text: str) -> list[tuple[int, Marker]]:
    """Each word of `text` that names a season or a time of day, and where it ends."""
    lexicon = _lexicon()
    longest = max(map(len, lexicon))
    text = _to_simplified()(text)
    found, at = [], 0
    while at < len(text):
        word = next((text[at:at + n] for n in range(longest, 0, -1)
                     if text[at:at + n] in lexicon), "")
        if word and (lexicon[word].seasons or lexicon[word].times):
            found.append((at + len(word), lexicon[word]))
        at += len(word) or 1
    return found


def conflicts(text: str) -> list[tuple[str, str]]:
    """The pairs of words of `text` that name different seasons or far-apart times of day,
    in the order they come."""
    found = [marker for _, marker in markers(text)]
    return [(a.word, b.word) for n, a in enumerate(found) for b in found[n + 1:]
            if a.conflicts(b)]


def clashes(written: str, couplet: str) -> bool:
    """Whether `couplet`, written after `written`, names a season or a time of day that
    conflicts with one that `written` or the couplet itself names."""
    found = markers(written + couplet)  # t2s keeps a text's length: `end` is a place in it
    return any(end > len(written) and marker.conflicts(other)
               for end, marker in found for _, other in found)
