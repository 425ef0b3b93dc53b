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


def bits_per_char(model, text: str) -> tuple[float, int]:
    """(bits per character, tokens) of `text` under `model`."""
    ids = model.tokenizer.encode(text)
    return stream_bits_per_char(model, ids, model.config.block_size, len(text)), len(ids)


@torch.no_grad()
def stream_bits_per_char(logits_of, ids: list[int], block: int, characters: int) -> float:
    """Bits per character of the token stream `ids` (of a text of `characters` characters),
    scored by `logits_of` ((1, T) ids -> (1, T, vocab) logits) in windows of `block` tokens
    that overlap by half; the first token has nothing before it and is not scored."""
    ids_t = torch.as_tensor(ids, dtype=torch.long)
    half, total, start, scored_until = block // 2, 0.0, 0, 1
    while scored_until < len(ids_t):
        window = ids_t[start:start + block + 1]
        losses = F.cross_entropy(logits_of(window[:-1][None])[0], window[1:], reduction="none")
        total += float(losses[scored_until - start - 1:].sum())  # the targets not yet scored
        scored_until = start + len(window)
        start += half
    return total / math.log(2) / characters


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
