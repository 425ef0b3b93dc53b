"""Greedy reconstructions of a trained melody VAE on held-out windows of its data: overall
and note-event accuracy (16ths that are not NO_EVENT), and the first notes of two melodies
beside their reconstructions, (start 16th, length, MIDI pitch).

    .venv/bin/python benchmarks/vae_reconstruct.py RUN_OR_MODEL builtin:bach [--count 64]
"""

import argparse

import torch

from artforge.core import checkpoint
from artforge.music.melody import melody_notes
from artforge.music.vae.data import melody_data
from artforge.music.vae.metrics import reconstruction


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("data")
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = checkpoint.load(checkpoint.resolve(args.model))
    held = melody_data(args.data, model.config.bars).validation
    order = torch.randperm(len(held), generator=torch.Generator().manual_seed(0))
    held = held[order[:args.count]]
    found = reconstruction(model, held)
    print(f"{args.model} (step {int(model.steps_done)}, {model.config.bars} bars) on "
          f"{len(held)} held-out windows of {args.data}:")
    print("  " + ", ".join(f"{key} {value:.3f}" for key, value in found.items()))
    for true, made in zip(held[:2].tolist(), model.reconstruct(held[:2]).tolist(), strict=True):
        print("  melody       ", melody_notes(true)[:12])
        print("  reconstructed", melody_notes(made)[:12])


if __name__ == "__main__":
    main()
