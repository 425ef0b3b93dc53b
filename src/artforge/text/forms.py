"""Named verse forms → constraints for each sequence being generated.

Chinese regular verse, one couplet per line as the Tang corpus writes it:
  jueju5 五言绝句 (4 lines of 5), jueju7 七言绝句 (4 of 7), lushi5 五言律诗 (8 of 5),
  lushi7 七言律诗 (8 of 7); with rhyme, the last character of every even line rhymes; where
  couplets are chosen among candidates, no character comes twice but as reduplication (悠悠)
  of a character the model's training text reduplicates, and a couplet keeps to the season
  and time of day of the poem (artforge.text.scene).
English: quatrain (4 lines), couplet (2), sonnet (14), or `lines` (any number), each with
`syllables` per line (10 by default, give or take one); with rhyme, the line ends rhyme by a
scheme (`rhyme_scheme`).
"""

import copy
import dataclasses

from artforge.core.config import Config, require
from artforge.errors import UserError
from artforge.text.constraint import SLOT, Constraint, Template
from artforge.text.lexicon import Lexicon
from artforge.text.meter import LineMeter
from artforge.text.rhymed_meter import RhymedMeter
from artforge.text.tokenizer import TextTokenizer

CHINESE = {"jueju5": (4, 5), "jueju7": (4, 7), "lushi5": (8, 5), "lushi7": (8, 7)}
ENGLISH = {"quatrain": 4, "couplet": 2, "sonnet": 14, "lines": 0}
NAMES = tuple(CHINESE) + tuple(ENGLISH)


@dataclasses.dataclass
class FormConfig(Config):
    form: str = ""
    """One of NAMES, or "" for free text."""
    rhyme: bool = False
    """Chinese forms: even lines end in characters of one rhyme class; English forms: the
    line ends rhyme by `scheme`, or by the form's own scheme."""
    lines: int = 0
    """English: number of lines (0: the form's own)."""
    syllables: int = 10
    """English: syllables per line, give or take one."""
    known_words: bool = True
    """English: only words of the model's training text (when its folder has that text)."""
    scheme: str = ""
    """English: the rhyme letter of each line ("ABCB"; spaces are ignored); implies rhyme."""
    candidates: int = 8
    """Chinese forms and English rhymes: versions written of each line of text (a Chinese
    couplet, an English line), of which the one the model finds likeliest is kept
    (artforge.text.line_choice); 1 writes each line once."""
    allow_repeats: bool = False
    """Chinese forms: let a character come twice in a poem. Where couplets are chosen among
    candidates, a poem has no repeated character but for reduplication (叠字: 悠悠, 萧萧), as
    regular verse avoids them (忌重字), unless the model's vocabulary is too small for that;
    `candidates` 1 always allows them."""
    allow_scene_mix: bool = False
    """Chinese forms: let a poem's couplets name different seasons or far-apart times of day.
    Where couplets are chosen among candidates, one that names a season or time of day at
    odds with the poem so far or with itself (春 then 秋, dawn beside dusk; by
    artforge.text.scene) is kept only when every candidate is."""
    allow_any_doubles: bool = False
    """Chinese forms: let a poem reduplicate any character. Where repeats are avoided
    (`avoids_repeats`), a character is written twice running only if the model's training
    text does so often enough (artforge.text.lexicon `doubled_characters`: 悠悠 and 萧萧 in
    builtin:tang, not 雨雨), when its folder has that text, or if nothing else fits."""

    def validate(self) -> None:
        letters = self.scheme.replace(" ", "")
        require([
            (self.form in ("", *NAMES), f"unknown form {self.form!r}; choose one of "
                                         + ", ".join(NAMES)),
            (0 <= self.lines <= 200, "--lines must be 0 to 200"),
            (1 <= self.candidates <= 64, "--candidates must be 1 to 64"),
            (1 <= self.syllables <= 40, "--syllables must be 1 to 40"),
            (self.form != "lines" or self.lines > 0, "--form lines needs --lines N"),
            (not self.rhymes() or self.form, "--rhyme needs a verse form (--form)"),
            (not self.scheme or self.form in ENGLISH,
             "--scheme is for the English forms (Chinese forms rhyme their even lines)"),
            (letters.isascii() and (letters.isalpha() or not letters),
             f"--scheme {self.scheme!r} must be letters, one per line (e.g. ABAB)"),
            (not letters or len(letters) == self.line_count(),
             f"--scheme {self.scheme} has {len(letters)} letters for "
             f"{self.line_count()} lines"),
            (self.known_words or not self.rhymes() or self.form not in ENGLISH,
             "English rhymes keep to the words of the model's training text; leave out "
             "--any-words"),
            (not self.allow_repeats or self.form in CHINESE,
             "--allow-repeats is for the Chinese forms"),
            (not self.allow_scene_mix or self.form in CHINESE,
             "--allow-scene-mix is for the Chinese forms"),
            (not self.allow_any_doubles or self.form in CHINESE,
             "--allow-any-doubles is for the Chinese forms"),
        ])

    def rhymes(self) -> bool:
        return self.rhyme or bool(self.scheme)

    def line_count(self) -> int:
        """English: the number of lines."""
        return self.lines or ENGLISH.get(self.form, 0)

    def text_lines(self) -> int:
        """The lines of text of a poem: a Chinese form writes a couplet a line."""
        return CHINESE[self.form][0] // 2 if self.form in CHINESE else self.line_count()

    def chooses_lines(self) -> bool:
        """Whether its lines of text are chosen among candidates (`candidates` > 1): those of
        Chinese forms, rhymed or not, and of English forms that rhyme."""
        return self.candidates > 1 and (self.form in CHINESE
                                        or self.rhymes() and self.form in ENGLISH)

    def avoids_repeats(self) -> bool:
        """Whether no character may come twice in a poem (`allow_repeats`): Chinese forms
        whose couplets are chosen among candidates."""
        return self.form in CHINESE and self.chooses_lines() and not self.allow_repeats

    def keeps_to_doubles(self) -> bool:
        """Whether a poem reduplicates only characters its model's training text reduplicates
        (`allow_any_doubles`): where repeats are avoided."""
        return self.avoids_repeats() and not self.allow_any_doubles

    def keeps_one_scene(self) -> bool:
        """Whether couplets are chosen to keep to the poem's season and time of day
        (`allow_scene_mix`): Chinese forms whose couplets are chosen among candidates."""
        return self.form in CHINESE and self.chooses_lines() and not self.allow_scene_mix

    def keeps_to_words(self) -> bool:
        """Whether its lines keep to the model's words (English forms, `known_words`)."""
        return self.known_words and self.form in ENGLISH


def chinese_pattern(lines: int, chars: int) -> tuple[str, list[int]]:
    """The character pattern of a Chinese form and the positions of its rhyme slots."""
    couplet = SLOT * chars + "，" + SLOT * chars + "。"
    pattern = "\n".join([couplet] * (lines // 2))
    width = len(couplet) + 1
    rhyme_slots = [i * width + len(couplet) - 2 for i in range(lines // 2)]
    return pattern, rhyme_slots


def _line_end(pattern: str, lines: int) -> int:
    """Where the `lines`-th line of `pattern` ends, its line break included."""
    ends = [n + 1 for n, ch in enumerate(pattern) if ch == "\n"] + [len(pattern)]
    return ends[min(lines, len(ends)) - 1]


def rhyme_scheme(config: FormConfig) -> tuple[int, ...]:
    """The rhyme letter of each line of an English form, as a number (A is 0): `scheme`, or
    the form's own: cross-rhymed quatrains then couplets for quatrain and sonnet (ABAB;
    ABAB CDCD EFEF GG), couplets for the others (AA BB ...); an odd line left over rhymes with
    the lines before it (5 lines of couplets: AABBB)."""
    if config.scheme:
        return tuple(ord(ch) - ord("A") for ch in config.scheme.replace(" ", "").upper())
    count = config.line_count()
    quatrains = count // 4 if config.form in ("quatrain", "sonnet") else 0
    letters = [2 * q + i for q in range(quatrains) for i in (0, 1, 0, 1)]
    while len(letters) + 2 <= count:
        letters += [max(letters, default=-1) + 1] * 2
    if len(letters) < count:
        letters.append(letters[-1] if letters else 0)
    return tuple(letters)


def rhymed_meter(config: FormConfig, tokenizer: TextTokenizer, start: str, lexicon: Lexicon,
                 lines: int | None = None) -> RhymedMeter:
    """The constraint of an English form with rhymes, past `start`, for `lines` lines in all
    (the form's own number by default; the scheme is always the form's)."""
    return RhymedMeter(tokenizer, lines or config.line_count(), config.syllables, start=start,
                       lexicon=lexicon, scheme=rhyme_scheme(config))


def build_constraints(config: FormConfig, tokenizer: TextTokenizer, prompt_text: str,
                      count: int, lexicon: Lexicon | None = None, lines: int | None = None,
                      doubles: frozenset[str] | None = None) -> list[Constraint] | None:
    """One constraint per sequence, each already past the prompt's text; None for free text.
    Each ends after `lines` lines of text (a Chinese couplet is one; the form's own number by
    default); English forms keep to `lexicon`'s words when one is given, and Chinese forms that
    avoid repeats reduplicate only the characters of `doubles` when it is given."""
    if not config.form:
        return None
    if config.form in CHINESE:
        pattern, slots = chinese_pattern(*CHINESE[config.form])
        end = _line_end(pattern, lines) if lines else None
        make = lambda: Template(tokenizer, pattern, slots if config.rhyme else [],  # noqa: E731
                                start=prompt_text, end=end,
                                no_repeats=config.avoids_repeats(), doubles=doubles)
    elif config.rhymes():
        if lexicon is None:
            raise UserError("English rhymes keep to the words of the model's training text, "
                            "and this model folder has none.")
        make = lambda: rhymed_meter(config, tokenizer, prompt_text, lexicon, lines)  # noqa: E731
    else:
        make = lambda: LineMeter(tokenizer, lines or config.line_count(),  # noqa: E731
                                 config.syllables, start=prompt_text, lexicon=lexicon)
    # One set of vocabulary tables serves every sequence; only the (immutable) progress
    # values differ, so shallow copies are independent.
    first = make()
    return [first] + [copy.copy(first) for _ in range(count - 1)]
