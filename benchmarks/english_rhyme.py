"""Rhymed English quatrains of builtin:english-verse: each line written once under the rhyme
mask (`--candidates 1`) against lines chosen among candidates (the default), side by side.

Writes the same quatrains (seeds 0..N-1, `--form quatrain --rhyme --temperature 0.8`, no
prompt) with each arm in one process, the arms alternating poem by poem, and prints for each:
  - odd ends: the share of line-end words that are not words of the training text, seen there
    fewer than 20 times, single letters (but I, O), or fragments joined to what comes before
    by anything but a space ("-sola", "''ring");
  - log-prob per token of the whole poem under the model (re-encoded, temperature 1), and of
    the line ends alone (each line's last word, with the break after it, given the poem so far:
    how forced the rhymes read to the model that wrote them);
  - the rhyme rate (the pairs ABAB asks for that rhyme, by the pronouncing dictionary);
  - seconds per poem (one thread, the originality report included);
then the first poems of each arm. An arm is a --candidates value, or `default` (FormConfig's
own), so that the same script measures a tree that predates the option.

    .venv/bin/python benchmarks/english_rhyme.py [--poems 12] [--arms 1,default] [--show 5]
"""

import argparse
import collections
import re
import time

import torch

from artforge.text.english_rhyme import rhymes
from artforge.text.forms import FormConfig
from artforge.text.generate import GenerationConfig
from artforge.text.lexicon import lexicon_of
from artforge.text.meter import WORD
from artforge.text.pipeline import generate_text, load_text_model

RARE = 20
_LAST = re.compile(r"(^|.)([A-Za-z']+)[^A-Za-z']*$")


def odd_end(line: str, counts: dict[str, int], words: frozenset[str]) -> bool:
    before, word = _LAST.search(line).groups()
    spelt = word.lower().strip("'")
    return (spelt not in words or counts.get(spelt, 0) < RARE or before not in ("", " ")
            or not word[0].isalpha() or (len(spelt) == 1 and spelt not in "io"))


@torch.no_grad()
def token_logprobs(model, text: str) -> tuple[list[float], list[int]]:
    """Log-prob of each token of `text` after the start token, and where each token ends in
    `text` (characters)."""
    tokenizer = model.tokenizer
    ids = [tokenizer.eos_id, *tokenizer.encode(text)]
    logprobs = model.net(torch.tensor([ids[:-1]])).float().log_softmax(-1)[0]
    got = logprobs.gather(-1, torch.tensor(ids[1:])[:, None])[:, 0].tolist()
    ends = [len(tokenizer.decode(ids[1:n + 1])) for n in range(1, len(ids))]
    return got, ends


def scores(model, texts: list[str], counts: dict[str, int]) -> dict[str, float]:
    lexicon = lexicon_of(model.corpus_text)
    odd = lines = pairs = rhymed = 0
    poem_lp: list[float] = []
    end_lp: list[float] = []
    for text in texts:
        got, ends = token_logprobs(model, text)
        poem_lp += got
        start = 0
        for line in text.split("\n")[:-1]:
            lines += 1
            odd += odd_end(line, counts, lexicon.words)
            word_at = start + _LAST.search(line).start(2)
            start += len(line) + 1
            # The tokens that end after the last word begins, up to the line's break.
            end_lp.append(sum(lp for lp, end in zip(got, ends, strict=True)
                              if word_at < end <= start))
        last = [WORD.findall(line)[-1] for line in text.split("\n")[:-1]]
        pairs += 2
        rhymed += rhymes(last[0], last[2]) + rhymes(last[1], last[3])
    return {"odd": odd / lines, "poem": sum(poem_lp) / len(poem_lp),
            "ends": sum(end_lp) / len(end_lp), "rhyme": rhymed / pairs}


def form_for(arm: str) -> FormConfig:
    if arm == "default":
        return FormConfig("quatrain", rhyme=True)
    return FormConfig("quatrain", rhyme=True, candidates=int(arm))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="builtin:english-verse")
    parser.add_argument("--poems", type=int, default=12)
    parser.add_argument("--arms", default="1,default")
    parser.add_argument("--show", type=int, default=5, help="poems printed per arm")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = load_text_model(args.model)
    arms = args.arms.split(",")
    started = time.perf_counter()
    lexicon_of(model.corpus_text)
    generate_text(model, "The", GenerationConfig(seed=0), form_for(arms[0]))  # warm-up
    print(f"english_rhyme: {args.model}, {args.poems} quatrains an arm (seeds 0-"
          f"{args.poems - 1}, --form quatrain --rhyme --temperature 0.8), 1 thread, arms "
          f"alternating; lexicon and warm-up {time.perf_counter() - started:.1f} s")
    texts: dict[str, list[str]] = {arm: [] for arm in arms}
    seconds = dict.fromkeys(arms, 0.0)
    for seed in range(args.poems):
        config = GenerationConfig(temperature=0.8, seed=seed)
        for arm in arms:
            started = time.perf_counter()
            texts[arm].append(generate_text(model, "", config, form_for(arm)).texts[0])
            seconds[arm] += time.perf_counter() - started
    counts = collections.Counter(w.strip("'") for w in WORD.findall(model.corpus_text.lower()))
    for arm in arms:
        got = scores(model, texts[arm], counts)
        print(f"  --candidates {arm:<7} odd ends {got['odd']:5.1%}  log-prob a token "
              f"{got['poem']:.3f}  of a line's end {got['ends']:6.2f}  rhymes "
              f"{got['rhyme']:.0%}  {seconds[arm] / args.poems:5.2f} s a poem")
    for arm in arms:
        print(f"  first {args.show} poems, --candidates {arm}:")
        for text in texts[arm][:args.show]:
            print("\n".join("    " + line for line in text.splitlines()) + "\n")


if __name__ == "__main__":
    main()
