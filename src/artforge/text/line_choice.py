"""Verse a line of text at a time (an English line, a Chinese couplet): for each, `candidates`
versions are sampled in one batch under the form's constraint, and the one the model itself
finds likeliest is kept (by `line_score`: log-probabilities at temperature 1, without the
constraint's mask).

Masking makes a line rhyme but cannot plan the rhyme: a small model pushed toward one it did
not see coming bends the sense or ends in an odd word ("the stars, ins!"). Among several lines
that rhyme, the one whose ending the model finds least forced mostly reads better. Planning
the rhyme word first and masking the line toward it was tried and read worse with
builtin:english-verse: the model cannot see the word it is to reach, so the line runs into
it (25 % odd line ends against 4 %, in 6 quatrains).

A Chinese form is written a couplet at a time: the two lines are one sentence or one scene, so
they are judged together. Its rhyme character is where the mask overrides the model most (one
rhyme class, none used twice), and the lines it strains end in it (思君犹在非, 为怜秋水又登投).
Its candidates are written with no character the poem has used but as reduplication (忌重字;
FormConfig's `allow_repeats`), and that of a character the training text reduplicates (悠悠,
not 雨雨; `allow_any_doubles`): the likeliest couplet keeps the model's taste for repeats
(南风起凉风). Choosing among unmasked candidates by fewest repeats first was tried and read
worse with builtin:tang (it picks among the few candidates that happen to have none:
青苔落帽花), and docking 0.5 from the score a repeat read as before, with 3-7 % of the
characters still repeats; under the mask every candidate has none.

A poet keeps one scene, and a small model mixes them (春日不禁关，秋来空使君): where a Chinese
form keeps one (FormConfig's `allow_scene_mix`), a couplet that names a season or time of day
at odds with the poem so far, prompt included, or with itself (artforge.text.scene) is kept
only when every candidate is at odds; the likeliest of the others is kept.

Choosing Chinese couplets also by how well the model's training text attests their words was
tried with builtin:tang (its corpus.txt.gz), and none of it read better, the couplets read
blind, pooled and shuffled. The model's lines are already made of the text's pairs of
characters: 4 % of their pairs are pairs the text never writes, against 20 % in its held-out
Tang poems (19 % of its lines hold one, 58 % of theirs), so what a small model gets wrong is
sense, which pairs do not see. Keeping the couplets with the fewest unattested pairs and
unattested line-final pairs, then the likeliest, read worse: 25 and 29 strained couplets of
80 against 17 and 27 (五绝 and 七绝, seeds 100-139), a sound couplet dropped for a worse one
(水连孤月色，花落乱萤声 for 一声终日上，三月正秋风); adding a smoothed trigram log-probability
of the text to the score read worse too (19-22 and 31) and copied longer spans (couplets
sharing 5 or more characters with the text: 19-25 against 16). Keeping out a first line
that stops where the text goes on (今日相思不, 昔年初发五: the text ends a line on its last two
characters in under 3 % of their uses, drawn toward the last character's share when rare)
changes up to 2 % of the lines and mended 4 of the 10 it changed (秋风吹落不，客思入潇湘 gave
山中白玉楼，天下风尘起; 4 gave another strained couplet, 1 a sound one for a sound one, and
昔年江水到 a worse one), but it moves the rest of the poem: of seeds 0-47 of the four
forms (576 couplets each way; the 绝句 all read, the 律诗 where they differ), 115 read
strained with it and 116 without. Sixteen candidates instead of 8 read no better (28
strained couplets of 96 against 31; 五绝 worse, 七绝 better) at 1.5 times the time.

The lines are seeded from the generation's seed, so a seed gives the same poem.
"""

import itertools
import re
import statistics
from collections.abc import Callable

import torch

from artforge.text import scene
from artforge.text.forms import FormConfig, build_constraints
from artforge.text.generate import GenerationConfig, sample_with_logprobs
from artforge.text.lexicon import Lexicon
from artforge.text.network import GPT
from artforge.text.tokenizer import TextTokenizer

_HAN = "\u3400-\u9fff\uf900-\ufaff"
_LAST_WORD = re.compile(rf"([A-Za-z']+|[{_HAN}])[^A-Za-z'{_HAN}]*$")
"""A line's last word, or its last Han character (Chinese rhymes a character), and what
follows it."""


def write_chosen_lines(net: GPT, tokenizer: TextTokenizer, prompt_ids: list[int], prompt: str,
                       config: GenerationConfig, form: FormConfig, lexicon: Lexicon | None,
                       on_text: Callable[[str], None] | None = None, *,
                       doubles: frozenset[str] | None = None) -> list[list[int]]:
    """New token ids for each of `num_return_sequences` poems continuing `prompt` (whose ids
    are `prompt_ids`, after any start token); `on_text` is told each kept line of a single
    poem. `lexicon` and `doubles` are `build_constraints`'."""
    generator = torch.Generator().manual_seed(config.seed)
    count = config.num_return_sequences
    return [_poem(net, tokenizer, prompt_ids, prompt, config, form, lexicon, doubles,
                  generator, on_text if count == 1 else None) for _ in range(count)]


def _poem(net: GPT, tokenizer: TextTokenizer, prompt_ids: list[int], prompt: str,
          config: GenerationConfig, form: FormConfig, lexicon: Lexicon | None,
          doubles: frozenset[str] | None, generator: torch.Generator,
          on_text: Callable[[str], None] | None) -> list[int]:
    new: list[int] = []
    for line in range(prompt.count("\n") + 1, form.text_lines() + 1):
        written = prompt + tokenizer.decode(new)
        meters = build_constraints(form, tokenizer, written, form.candidates, lexicon,
                                   lines=line, doubles=doubles)
        if meters[0].finished():  # the prompt wrote the whole poem
            break
        seed = int(torch.randint(2**62, (1,), generator=generator))
        rows, logprobs = sample_with_logprobs(net, tokenizer, prompt_ids + new, config.replace(
            num_return_sequences=form.candidates, seed=seed), meters)
        strings = tokenizer.token_strings()
        scores = [line_score(strings, row, lp, form.rhymes())
                  for row, lp in zip(rows, logprobs, strict=True)]
        texts = [tokenizer.decode(row) for row in rows]
        best = rows[chosen(texts, scores, [not m.unrhymed for m in meters], written,
                           form.keeps_one_scene())]
        new += best
        if on_text:
            on_text(tokenizer.decode(best))
    return new


def chosen(texts: list[str], scores: list[float], rhymed: list[bool], written: str,
           one_scene: bool) -> int:
    """The index of the candidate kept (each a line of text written after `written`): the
    best scoring of those that rhyme (one that could not, which is rare, is kept only when
    none could) and, with `one_scene`, keep to the poem's season and time of day as far as
    any candidate does (artforge.text.scene)."""
    in_scene = [not (one_scene and scene.clashes(written, text)) for text in texts]
    return max(range(len(texts)), key=lambda i: (rhymed[i], in_scene[i], scores[i]))


def line_score(strings: list[str], row: list[int], logprobs: list[float],
               rhymes: bool = True) -> float:
    """The mean log-probability of a line's tokens, plus, where it rhymes, that of the tokens
    of its end (from the one its last word or Han character begins in): the end is what the
    rhyme forces, so it counts twice."""
    if not rhymes:
        return statistics.fmean(logprobs)
    text = "".join(strings[token] for token in row)
    last = _LAST_WORD.search(text)
    start = last.start() if last else len(text) - 1
    ends_at = itertools.accumulate(len(strings[token]) for token in row)
    first = next(n for n, end in enumerate(ends_at) if end > start)
    return statistics.fmean(logprobs) + statistics.fmean(logprobs[first:])
