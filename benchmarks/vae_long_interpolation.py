"""Interpolating whole melodies (several bars): a 2-bar VAE phrase by phrase
(`artforge music vae interpolate --bars N`) against a hierarchical VAE of that length, and
MusicVAE's data-space baseline, on random pairs of held-out windows.

For each pair A, B: `--steps` melodies from A to B, greedy. Reported, averaged over pairs:
  ends    - how well the first and last steps give A and B back: share of all 16ths and of
            note events (16ths where a note starts or stops) that are right;
  step    - the share of 16ths that change between neighbouring steps (mean, and the largest
            step of each path);
(data space takes B's event on a growing random share of the 16ths: exact ends, lumpy steps.)

    .venv/bin/python benchmarks/vae_long_interpolation.py --short RUN --data builtin:folk \
        [--long RUN16 ...] [--bars 8] [--pairs 24] [--steps 8]
"""

import argparse
import random

import torch

from artforge.core import checkpoint
from artforge.music.melody import HOLD
from artforge.music.vae.data import melody_data
from artforge.music.vae.latent import interpolation_codes
from artforge.music.vae.metrics import data_space_interpolation, neighbour_distances
from artforge.music.vae.pipeline import phrase_interpolation


def end_scores(path: list[list[int]], a: list[int], b: list[int]) -> tuple[float, float]:
    """Share of 16ths and of note events the first and last steps get right."""
    right = events = correct_events = total = 0
    for made, true in ((path[0], a), (path[-1], b)):
        for x, y in zip(made, true, strict=True):
            right += x == y
            total += 1
            if y != HOLD:
                events += 1
                correct_events += x == y
    return right / total, correct_events / max(1, events)


def whole_interpolation(model, ends: torch.Tensor, steps: int) -> list[list[int]]:
    mu = model.mean_codes(ends)
    return model.decode(interpolation_codes(mu[0], mu[1], steps), greedy=True).tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", required=True, help="A 2-bar VAE run or model folder.")
    parser.add_argument("--long", action="append", default=[],
                        help="A VAE whose length is --bars (repeatable).")
    parser.add_argument("--data", required=True)
    parser.add_argument("--bars", type=int, default=16)
    parser.add_argument("--pairs", type=int, default=24)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    held = melody_data(args.data, args.bars).validation.tolist()
    rng = random.Random(args.seed)
    pairs = [rng.sample(held, 2) for _ in range(args.pairs)]
    arms = {}
    short = checkpoint.load(checkpoint.resolve(args.short))
    arms[f"2-bar VAE phrase by phrase (step {int(short.steps_done)})"] = lambda e: (
        phrase_interpolation(short, e, args.steps))
    for path in args.long:
        long = checkpoint.load(checkpoint.resolve(path))
        kind = " on 2-bar phrases" if long.config.phrased else ""
        arms[f"{long.config.bars}-bar VAE{kind} (step {int(long.steps_done)})"] = (
            lambda e, model=long: whole_interpolation(model, e, args.steps))
    print(f"{args.pairs} pairs of held-out {args.bars}-bar windows of {args.data}, "
          f"{args.steps} steps, greedy")
    print(f"{'':48} {'ends 16ths':>10} {'ends notes':>10} {'mean step':>10} {'largest':>8}")
    with torch.no_grad():
        for name, run in [*arms.items(), ("data space", None)]:
            rows = []
            for index, (a, b) in enumerate(pairs):
                path = (run(torch.tensor([a, b])) if run is not None else
                        data_space_interpolation(a, b, args.steps, seed=args.seed + index))
                steps = neighbour_distances(path)
                rows.append((*end_scores(path, a, b), sum(steps) / len(steps), max(steps)))
            means = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
            print(f"{name:48} {means[0]:>10.3f} {means[1]:>10.3f} {means[2]:>10.3f} "
                  f"{means[3]:>8.3f}")


if __name__ == "__main__":
    main()
