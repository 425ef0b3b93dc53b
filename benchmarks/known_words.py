"""English verse forms with and without `--known-words`: how many of the words a model writes
are not words of its training text, and what keeping to them costs in time.

Writes the same quatrains (same seeds, `--form quatrain --temperature 0.8 --top-k 40
--top-p 0.95`, prompt "The") twice, side by side in one process: with the lexicon of the
model's training text and without it (`--any-words`). A word counts as unknown when it is not in
the lexicon (the words of the training text seen three times or more); the lexicon's one-time
build is timed apart.

    .venv/bin/python benchmarks/known_words.py [MODEL] [--poems 12]
"""

import argparse
import time

import torch

from artforge.text.forms import FormConfig
from artforge.text.generate import GenerationConfig
from artforge.text.lexicon import lexicon_of
from artforge.text.meter import WORD
from artforge.text.pipeline import generate_text, load_text_model


def unknown_share(texts: list[str], words: frozenset[str]) -> tuple[float, list[str]]:
    found = [w.lower() for text in texts for w in WORD.findall(text)]
    unknown = [w for w in found if w not in words and w.strip("'") not in words]
    return len(unknown) / max(1, len(found)), unknown


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?", default="builtin:english-verse")
    parser.add_argument("--poems", type=int, default=12)
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = load_text_model(args.model)
    started = time.perf_counter()
    lexicon = lexicon_of(model.corpus_text)
    built = time.perf_counter() - started
    print(f"known_words: {args.model}, {args.poems} quatrains each way, 1 thread; lexicon of "
          f"{len(lexicon):,} words built in {built:.1f} s")
    times = {True: 0.0, False: 0.0}
    texts: dict[bool, list[str]] = {True: [], False: []}
    for seed in range(args.poems):
        config = GenerationConfig(temperature=0.8, top_k=40, top_p=0.95, seed=seed)
        for known in (False, True):  # interleaved, so that load changes hit both alike
            started = time.perf_counter()
            poem = generate_text(model, "The", config, FormConfig("quatrain", known_words=known))
            times[known] += time.perf_counter() - started
            texts[known].append(poem.texts[0])
    for known in (False, True):
        share, unknown = unknown_share(texts[known], lexicon.words)
        label = "--known-words" if known else "--any-words  "
        print(f"  {label} unknown words {share:6.1%} ({len(unknown)}: "
              f"{', '.join(sorted(set(unknown))[:8])}{'...' if len(set(unknown)) > 8 else ''})"
              f"  {times[known] / args.poems:.2f} s a poem (originality report included)")
    print(f"  time ratio known/any = {times[True] / times[False]:.2f}")
    print("  first poem each way:")
    for known in (False, True):
        print("\n".join("    " + line for line in texts[known][0].splitlines()))
        print()


if __name__ == "__main__":
    main()
