"""How well a band model's accompaniments fit their melodies, per `--harmony` guide.

Takes a band Transformer trained on builtin:folk-band (melody, bass, piano, drums), and
accompanies the melodies of 24 held-out passages three ways: free, kept to the melody's key,
and kept to the chords the built-in arranger's rules choose. Prints MuseGAN's statistics
(tonal distance between tracks: lower fits better) next to those of the held-out rule
arrangements themselves and of tracks taken from unrelated passages.

`--passages N` takes N evenly spaced passages of the validation part, starting at `--offset`
(`--offset` half the spacing gives a disjoint set: tune a setting on one, report on the
other); `--harmony` picks the guides. Each model line is followed by the per-passage tonal
distance against the rule arrangement of the same melody: mean difference and its standard
error (paired; a difference within two errors of zero cannot tell them apart).

Run: .venv/bin/python benchmarks/band_harmony.py RUN_OR_MODEL [--temperature 1.0]
     [--passages 24] [--offset 0] [--harmony chords,key,free]
"""

import argparse
import math
import time

import torch

from artforge.music.band.data import band_data
from artforge.music.band.pipeline import HARMONIES, accompaniment_guides, load_band
from artforge.music.band_metrics import band_statistics

PASSAGES = 24


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--passages", type=int, default=PASSAGES)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--harmony", default=",".join(HARMONIES[::-1]))
    args = parser.parse_args()
    torch.set_num_threads(1)
    model, folder = load_band(args.model, "cpu")
    names = model.config.tracks
    held = [p for p in band_data("builtin:folk-band", names, 4).validation if model.fits(p)]
    held = held[args.offset::max(1, len(held) // args.passages)][:args.passages]
    unrelated = [[p[0]] + held[(i + 7) % len(held)][1:] for i, p in enumerate(held)]

    def show(label: str, passages: list, extra: str = "") -> None:
        stats = band_statistics(passages, names, 4)
        print(f"  {label:28s} " + " ".join(f"{k}={v:.3f}" for k, v in stats.items()) + extra)

    def against_rules(made: list) -> None:
        pairs = [(band_statistics([m], names, 4)["tonal_distance"],
                  band_statistics([p], names, 4)["tonal_distance"])
                 for m, p in zip(made, held, strict=True)]
        gaps = [a - b for a, b in pairs if not (math.isnan(a) or math.isnan(b))]
        mean = sum(gaps) / len(gaps)
        error = math.sqrt(sum((g - mean) ** 2 for g in gaps) / (len(gaps) - 1) / len(gaps))
        print(f"  {'':28s} tonal distance minus the rules', per passage: {mean:+.4f} "
              f"+- {error:.4f} (standard error, {len(gaps)} passages)")

    print(f"band_harmony: {folder}, {len(held)} held-out passages from {args.offset}, tracks "
          f"{','.join(names)}, temperature {args.temperature}, 1 thread")
    show("rule arrangements", held)
    show("unrelated tracks", unrelated)
    for harmony in args.harmony.split(","):
        generator = torch.Generator().manual_seed(0)
        started = time.perf_counter()
        made = [model.accompany(p[0], 1, generator, args.temperature,
                                accompaniment_guides(harmony, "auto", [p[0]], 4)[1][0])[0]
                for p in held]
        show(f"model, --harmony {harmony}", made,
             f"  ({time.perf_counter() - started:.1f} s)")
        against_rules(made)


if __name__ == "__main__":
    main()
