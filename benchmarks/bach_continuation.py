"""Claim: a chorale model's continuations of held-out chorales look like chorales — their
MuseGAN statistics (empty bars, pitch classes per bar, qualified notes, polyphony, in key) are
close to those of the real test chorales, and they copy little from the training set (the
real chorales' own longest run shared with the training set is shown beside: hymn tunes recur
across chorales).

Each of the 36 test chorales' first 2 bars is continued for 6 bars by the model (its key
estimated from the chorale, the four voices' range 40-81; temperature 0.9, top-p 0.9); the
continuations alone (primer cut off) are compared with the real chorales' bars 3-8. The
baseline is a model of the same size with untrained weights.

    .venv/bin/python benchmarks/bach_continuation.py [--model builtin:bach] [--count 36]
"""

import argparse
import tempfile
from pathlib import Path

import torch

PRIMER_BARS, BARS = 2, 6


def continue_chorales(model: str, files: list[Path], out: Path, seed: int = 0,
                      low: int = 40, high: int = 81) -> Path:
    from artforge.core.sampling import SamplingConfig
    from artforge.music.constraints import Controls
    from artforge.music.demo import write_primer
    from artforge.music.ingest import read_score
    from artforge.music.pipeline import generate_music

    out.mkdir(parents=True, exist_ok=True)
    for i, chorale in enumerate(files):
        primer, key = write_primer(chorale, out / f"{chorale.stem}-primer.mid")
        piece = generate_music(model, out / f"{chorale.stem}.mid", primer=primer, bars=BARS,
                               sampling=SamplingConfig(temperature=0.9, top_k=0, top_p=0.9),
                               controls=Controls(key=key, low=low, high=high), seed=seed + i,
                               device="cpu", catalog=False)
        score = read_score(piece.midi)
        start = PRIMER_BARS * 4 * score.tpq
        score.clip(start, start + BARS * 4 * score.tpq, clip_end=True).shift_time(
            -start, inplace=True).dump_midi(piece.midi)
        primer.unlink()
    return out


def real_bars(files: list[Path], out: Path) -> Path:
    from artforge.music.ingest import read_score

    out.mkdir(parents=True, exist_ok=True)
    for chorale in files:
        score = read_score(chorale)
        start = PRIMER_BARS * 4 * score.tpq
        score.clip(start, start + BARS * 4 * score.tpq, clip_end=True).shift_time(
            -start, inplace=True).dump_midi(out / chorale.name)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="builtin:bach")
    parser.add_argument("--count", type=int, default=36)
    parser.add_argument("--data", default="builtin:bach", help="whose test part is continued")
    parser.add_argument("--reference", default="builtin:bach",
                        help="whose training part copies are counted against")
    parser.add_argument("--low", type=int, default=40)
    parser.add_argument("--high", type=int, default=81)
    args = parser.parse_args()
    torch.set_num_threads(1)
    from artforge.core import checkpoint
    from artforge.music.datasets import music_splits
    from artforge.music.metrics import describe_folder
    from artforge.music.pipeline import load_music_model

    test = sorted(music_splits(args.data).test)
    files = test[::max(1, len(test) // args.count)][:args.count]
    ref, span = args.reference, {"low": args.low, "high": args.high}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        trained = load_music_model(args.model)
        fresh = type(trained).from_config(trained.config)
        fresh.tokenizer = trained.tokenizer
        untrained = checkpoint.save(fresh, root / "untrained")
        rows = {
            "real test pieces, bars 3-8": describe_folder(str(real_bars(files, root / "real")),
                                                          reference=ref),
            f"{args.model}": describe_folder(str(continue_chorales(
                args.model, files, root / "model", **span)), reference=ref),
            "untrained, same size": describe_folder(str(continue_chorales(
                str(untrained), files, root / "untrained-out", **span)), reference=ref),
        }
    real = rows["real test pieces, bars 3-8"]
    names = [k for k in real if k not in ("pieces", "longest_copied_run_notes")]
    print(f"{len(files)} held-out pieces of {args.data}, {PRIMER_BARS} bars given, {BARS} "
          f"continued; copies counted against {ref}'s training part")
    print(f"{'':<30}" + "".join(f"{n[:16]:>18}" for n in names) + f"{'copied run':>12}")
    for label, row in rows.items():
        cells = "".join(f"{row[n]:>18.3f}" for n in names)
        print(f"{label:<30}{cells}{row.get('longest_copied_run_notes', '-'):>12}")
    # Relative differences where the real value is a sizeable number; near-zero rates (empty
    # bars: 1 in 100) as absolute differences, where a relative one would mean nothing.
    sizeable = [n for n in names if real[n] >= 0.1]
    for label, row in rows.items():
        if row is real:
            continue
        off = {n: (row[n] - real[n]) / real[n] for n in sizeable}
        worst = max(off, key=lambda n: abs(off[n]))
        rest = ", ".join(f"{n} {row[n] - real[n]:+.3f}" for n in names if n not in sizeable)
        print(f"{label}: largest relative difference from the real pieces {off[worst]:+.1%} "
              f"({worst}); " + ", ".join(f"{n} {v:+.1%}" for n, v in off.items() if n != worst)
              + (f"; absolute: {rest}" if rest else ""))


if __name__ == "__main__":
    main()
