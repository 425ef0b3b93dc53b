"""Bits per character of a text model on the held-out poets of builtin:english-verse (Emily
Dickinson, Thomas Hardy, Christina Rossetti: their lines found in the Gutenberg poetry corpus,
never trained on; see scripts/english_verse_corpus.py), whatever its tokenizer.

Each poet's text is one stream of tokens scored in windows of the model's context that overlap
by half: every token after the first window is scored with at least half a context before it.
Bits per character = the summed loss in bits / the characters of the text.

    .venv/bin/python benchmarks/english_verse.py MODEL HELDOUT_DIR
"""

import argparse
import math
from pathlib import Path

import torch
import torch.nn.functional as F

from artforge.text.pipeline import load_text_model


@torch.no_grad()
def bits_per_char(model, text: str) -> tuple[float, int]:
    """(bits per character, tokens) of `text` under `model`."""
    ids = torch.tensor(model.tokenizer.encode(text), dtype=torch.long)
    block = model.config.block_size
    half = block // 2
    total, start = 0.0, 0
    scored_until = 1  # the first token has nothing before it and is not scored
    while scored_until < len(ids):
        window = ids[start:start + block + 1]
        logits = model(window[:-1][None])[0]
        losses = F.cross_entropy(logits, window[1:], reduction="none")
        first = scored_until - start - 1  # index in `losses` of the first unscored target
        total += float(losses[first:].sum())
        scored_until = start + len(window)
        start += half
    return total / math.log(2) / len(text), len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("heldout", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    model = load_text_model(args.model).eval()
    rows, chars, bits = [], 0, 0.0
    for file in sorted(args.heldout.glob("*.txt")):
        text = file.read_text()
        bpc, tokens = bits_per_char(model, text)
        rows.append(f"  {file.stem:<10} {bpc:.3f} bits/char over {len(text):,} characters "
                    f"({tokens:,} tokens)")
        chars, bits = chars + len(text), bits + bpc * len(text)
    print(f"english_verse: {args.model} on the held-out poets in {args.heldout}")
    print("\n".join(rows))
    print(f"  all        {bits / chars:.3f} bits/char over {chars:,} characters")


if __name__ == "__main__":
    main()
