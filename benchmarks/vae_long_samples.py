"""Long-range shape of 16-bar melodies drawn from the prior: a 16-bar VAE against eight
independent draws of a 2-bar VAE played in a row (what the short model alone can offer), and
real held-out windows.

Per melody (pitches of all its notes):
  in key     - share of notes in the major or minor key that holds most of them (one key for
               all 16 bars: draws that wander between keys score lower);
  same key   - share of melodies whose first and second 8 bars have the same estimated key;
  notes/bar, range (semitones from lowest to highest note).

    .venv/bin/python benchmarks/vae_long_samples.py --short VAE2 --long VAE16 \
        --data builtin:bach [--count 64] [--temperature 0.5]
"""

import argparse

import torch

from artforge.core import checkpoint
from artforge.music.constraints import scale_pitch_classes
from artforge.music.melody import STEPS_PER_BAR, melody_notes
from artforge.music.metrics import estimate_key
from artforge.music.vae.data import melody_data


def shape(melody: list[int]) -> tuple[float, float, float, float]:
    notes = melody_notes(melody)
    pitches = [pitch for _, _, pitch in notes]
    if not pitches:
        return 0.0, 0.0, 0.0, 0.0
    scale = scale_pitch_classes(estimate_key(pitches))
    in_key = sum(p % 12 in scale for p in pitches) / len(pitches)
    half = len(melody) // 2
    halves = [[p for s, _, p in notes if (s < half) == first] for first in (True, False)]
    same = float(all(halves) and estimate_key(halves[0]) == estimate_key(halves[1]))
    bars = len(melody) / STEPS_PER_BAR
    return in_key, same, len(pitches) / bars, float(max(pitches) - min(pitches))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", required=True, help="A 2-bar VAE run or model folder.")
    parser.add_argument("--long", action="append", default=[], help="A 16-bar VAE (repeatable).")
    parser.add_argument("--data", required=True)
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--temperature", type=float, default=0.5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    held = melody_data(args.data, 16).validation
    order = torch.randperm(len(held), generator=torch.Generator().manual_seed(args.seed))
    arms = {f"real held-out windows of {args.data}": held[order[:args.count]].tolist()}
    short = checkpoint.load(checkpoint.resolve(args.short))
    phrases = 16 // short.config.bars

    def draw(model, count: int) -> list[list[int]]:
        generator = torch.Generator().manual_seed(args.seed)
        z = model.prior(count, generator)
        return model.decode(z, temperature=args.temperature, generator=generator).tolist()

    joined = draw(short, args.count * phrases)
    arms[f"2-bar VAE, {phrases} draws in a row (step {int(short.steps_done)})"] = [
        sum(joined[i * phrases:(i + 1) * phrases], []) for i in range(args.count)]
    for path in args.long:
        long = checkpoint.load(checkpoint.resolve(path))
        kind = " on 2-bar phrases" if long.config.phrased else ""
        arms[f"16-bar VAE{kind} (step {int(long.steps_done)})"] = draw(long, args.count)
    print(f"{args.count} melodies of 16 bars each, temperature {args.temperature}")
    print(f"{'':52} {'in key':>7} {'same key':>9} {'notes/bar':>10} {'range':>6}")
    for name, melodies in arms.items():
        rows = [shape(melody) for melody in melodies]
        means = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
        print(f"{name:52} {means[0]:>7.3f} {means[1]:>9.3f} {means[2]:>10.2f} {means[3]:>6.1f}")


if __name__ == "__main__":
    main()
