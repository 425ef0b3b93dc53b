"""Chinese regular verse of builtin:tang: each couplet written once under the form's mask
(`--candidates 1`) against couplets chosen among candidates (the default), with repeated
characters allowed or not (the default: none but reduplication, and that only of characters
the training text reduplicates), side by side.

Writes the same poems (seeds 0..N-1, no prompt, `--rhyme --temperature 0.8 --top-k 40` as the
model's card does) for each form, each arm in one process, the arms alternating poem by poem,
and prints for each form and arm:
  - log-prob per Han character of the poem under the model (re-read from the start token, at
    temperature 1, without the mask: the model's own judgement; the punctuation and line
    breaks, which the form fixes, are left out), and of the rhyme characters alone (the last
    of each even line: where the mask overrides the model most);
  - repeats: the share of a poem's Han characters that it has used before, of those that
    repeat one before them not as reduplication (重字: 月照江城月, not 叠字: 悠悠), and of its
    words (two characters side by side in a line) that it has used before (风送 ... 风送);
  - scene mixes: the poems that name two seasons, or two times of day apart on the day's
    cycle (dawn and dusk, noon and night), by the lexicon of artforge.text.scene;
  - odd doubles: the poems that reduplicate (two same Han characters side by side in a line:
    雨雨) a character that the model's training text does not reduplicate, by the set the
    rule keeps to (artforge.text.lexicon `doubled_characters`: 悠悠 yes, 雨雨 no); left out
    on a tree from before that rule, or for a model saved without its training text;
  - seconds per poem (one thread, the originality report included);
then the first poems of each arm, each with the words that mix its scene and its odd
doubles. An arm is a --candidates value, or `default` (FormConfig's own), so that the same
script measures a tree that predates the option; `+repeats` after it adds --allow-repeats
(`default+repeats`: couplets chosen as before the rule of 忌重字), `+mix` --allow-scene-mix
(`default+mix`: couplets chosen as before they kept to one scene) and `+doubles`
--allow-any-doubles (`default+doubles`: any character reduplicated, as before the rule of the
training text's 叠字). The arm that chooses couplets by the model's log-probability reads
likelier to it partly by construction: read the poems too.

    .venv/bin/python benchmarks/tang_lines.py [--poems 12] [--forms jueju5,jueju7]
        [--arms 1,default+repeats,default] [--show 4] [--no-rhyme]
"""

import argparse
import statistics
import time

import torch

from artforge.text.constraint import is_han
from artforge.text.constraint import repeats as repeats_before
from artforge.text.forms import FormConfig
from artforge.text.generate import GenerationConfig
from artforge.text.pipeline import generate_text, load_text_model
from artforge.text.scene import conflicts

try:
    from artforge.text.lexicon import doubled_characters
except ImportError:  # a tree from before the rule of the training text's 叠字
    doubled_characters = None


@torch.no_grad()
def char_logprobs(model, text: str) -> list[float]:
    """The log-prob of each character of `text` after the start token, each given at most a
    block of what comes before it."""
    ids = [model.tokenizer.eos_id, *model.tokenizer.encode(text)]
    block = model.config.block_size
    logprobs = model.net(torch.tensor([ids[:block]])).float().log_softmax(-1)[0]
    got = logprobs[:-1].gather(-1, torch.tensor(ids[1:block])[:, None])[:, 0].tolist()
    for end in range(block, len(ids)):
        last = model.net(torch.tensor([ids[end - block:end]])).float().log_softmax(-1)[0, -1]
        got.append(float(last[ids[end]]))
    return got


def repeats(text: str) -> tuple[float, float, float]:
    """The share of the poem's Han characters that it has used before, of those that repeat
    one before them not as reduplication, and of its words (two Han characters side by side
    in a line) that it has used before."""
    chars = [ch for ch in text if is_han(ch)]
    not_doubled = sum(is_han(ch) and repeats_before(text[:n], ch) for n, ch in enumerate(text))
    words = [a + b for a, b in zip(text, text[1:], strict=False) if is_han(a) and is_han(b)]
    return ((len(chars) - len(set(chars))) / len(chars), not_doubled / len(chars),
            (len(words) - len(set(words))) / len(words))


def odd_doubles(text: str, doubled: frozenset[str]) -> list[str]:
    """The reduplications in `text` (two same Han characters side by side, so within a line)
    of characters not in `doubled`, each once."""
    pairs = [a + b for a, b in zip(text, text[1:], strict=False)
             if a == b and is_han(a) and a not in doubled]
    return list(dict.fromkeys(pairs))


def scores(model, texts: list[str], doubled: frozenset[str] | None
           ) -> dict[str, float | None]:
    han: list[float] = []
    rhyme: list[float] = []
    for text in texts:
        got = char_logprobs(model, text)
        han += [lp for ch, lp in zip(text, got, strict=True) if is_han(ch)]
        # The rhyme character stands before each "。" (the end of an even line).
        rhyme += [got[n - 1] for n, ch in enumerate(text) if ch == "。"]
    chars, not_doubled, words = zip(*map(repeats, texts), strict=True)
    return {"han": statistics.fmean(han), "rhyme": statistics.fmean(rhyme),
            "chars": statistics.fmean(chars), "not doubled": statistics.fmean(not_doubled),
            "words": statistics.fmean(words),
            "mixed": sum(bool(conflicts(text)) for text in texts),
            "odd doubles": (None if doubled is None else
                            sum(bool(odd_doubles(text, doubled)) for text in texts))}


ALLOWING = {"repeats": "allow_repeats", "mix": "allow_scene_mix",
            "doubles": "allow_any_doubles"}


def form_for(form: str, rhyme: bool, arm: str) -> FormConfig:
    candidates, *allowed = arm.split("+")
    options: dict[str, int | bool] = {ALLOWING[name]: True for name in allowed}
    if candidates != "default":
        options["candidates"] = int(candidates)
    return FormConfig(form, rhyme=rhyme, **options)


def write(model, form: str, rhyme: bool, arms: list[str], poems: int
          ) -> tuple[dict[str, list[str]], dict[str, float]]:
    """The poems of each arm, and its seconds per poem."""
    texts: dict[str, list[str]] = {arm: [] for arm in arms}
    seconds = dict.fromkeys(arms, 0.0)
    for seed in range(poems):
        config = GenerationConfig(temperature=0.8, top_k=40, seed=seed)
        for arm in arms:
            started = time.perf_counter()
            texts[arm].append(generate_text(model, "", config, form_for(form, rhyme, arm))
                              .texts[0])
            seconds[arm] += time.perf_counter() - started
    return texts, {arm: total / poems for arm, total in seconds.items()}


def notes(text: str, doubled: frozenset[str] | None) -> list[str]:
    """Lines that name what mixes the poem's scene and its odd doubles, where it has any."""
    mixed = "  ".join(f"{a}/{b}" for a, b in conflicts(text))
    odd = "  ".join(odd_doubles(text, doubled)) if doubled is not None else ""
    return ([f"    (mixes {mixed})"] if mixed else []) + ([f"    (odd doubles {odd})"]
                                                          if odd else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="builtin:tang")
    parser.add_argument("--poems", type=int, default=12, help="poems per form and arm")
    parser.add_argument("--forms", default="jueju5,jueju7")
    parser.add_argument("--arms", default="1,default+repeats,default")
    parser.add_argument("--show", type=int, default=4, help="poems printed per form and arm")
    parser.add_argument("--no-rhyme", dest="rhyme", action="store_false")
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.perf_counter()
    model = load_text_model(args.model)
    arms = args.arms.split(",")
    generate_text(model, "", GenerationConfig(), form_for("jueju5", args.rhyme, arms[0]))
    doubled = (doubled_characters(model.corpus_text)
               if doubled_characters and model.corpus_text else None)
    rhyme = " --rhyme" if args.rhyme else ""
    print(f"tang_lines: {args.model}, {args.poems} poems a form and arm (seeds 0-"
          f"{args.poems - 1}, --form F{rhyme} --temperature 0.8 --top-k 40), 1 thread, arms "
          f"alternating; load and warm-up {time.perf_counter() - started:.1f} s; "
          + ("odd doubles left out (no doubled_characters or no training text)"
             if doubled is None else
             f"odd doubles: of characters not among the {len(doubled)} its training text "
             "reduplicates"))
    for form in args.forms.split(","):
        texts, seconds = write(model, form, args.rhyme, arms, args.poems)
        for arm in arms:
            got = scores(model, texts[arm], doubled)
            odd = ("" if got["odd doubles"] is None else
                   f"odd doubles in {got['odd doubles']}/{len(texts[arm])}  ")
            print(f"  {form} --candidates {arm:<15} log-prob a Han character {got['han']:.3f}"
                  f"  of an even line's end {got['rhyme']:.3f}  repeated characters "
                  f"{got['chars']:5.1%} (not doubled {got['not doubled']:5.1%})  words "
                  f"{got['words']:5.1%}  scene mixed in {got['mixed']}/{len(texts[arm])}  "
                  f"{odd}{seconds[arm]:5.2f} s a poem")
        for arm in arms:
            print(f"  first {args.show} poems, {form} --candidates {arm}:")
            for text in texts[arm][:args.show]:
                print("\n".join(["    " + line for line in text.splitlines()]
                                + notes(text, doubled)) + "\n")


if __name__ == "__main__":
    main()
