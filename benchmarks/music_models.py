"""LSTM, GRU and Transformer on builtin:bach for the same wall clock, then the frame-level
piano-roll NLL (the JSB Chorales measure) against an independent-keys baseline.

Claim: the three token models train with the one Trainer, and on 2 CPU cores the frame model
reaches a frame-level NLL below 8.1 within 10 minutes. Ratios are against the LSTM (token
models) and against the independent-keys baseline (frame model), measured in the same run.

    .venv/bin/python benchmarks/music_models.py [--minutes 3] [--frame-minutes 10]
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

import torch

from artforge.core import checkpoint
from artforge.core.metrics_log import MetricsLog
from artforge.core.train_config import TrainConfig
from artforge.music.datasets import builtin_splits
from artforge.music.evaluation import token_nll
from artforge.music.frame_model import FrameConfig
from artforge.music.frame_train import frame_nll, independent_keys_nll, rolls_of, train_frames
from artforge.music.model import MusicConfig
from artforge.music.train import train_music

TOKEN_MODELS = {
    "lstm": MusicConfig(embed=128, hidden=256, layers=2, dropout=0.1, context=256),
    "gru": MusicConfig(embed=128, hidden=256, layers=2, dropout=0.1, context=256),
    "transformer": MusicConfig(hidden=192, layers=4, heads=4, dropout=0.1, context=256),
}


def token_run(arch: str, minutes: float, root: Path, seed: int) -> dict[str, float]:
    run = root / arch
    lr = 1e-3 if arch == "transformer" else 2e-3
    config = TrainConfig(steps=10**6, minutes=minutes, batch_size=16, lr=lr, warmup_steps=50,
                         save_every=10**6, log_every=20, seed=seed, device="cpu")
    trained = train_music("builtin:bach", run, config, arch=arch,
                          model_config=TOKEN_MODELS[arch], catalog=False)
    model = checkpoint.load(run)
    started = time.monotonic()
    nll, tokens = token_nll(model, builtin_splits("bach").validation)
    elapsed = max(r["time"] for r in MetricsLog(run).read() if "time" in r)
    context = TOKEN_MODELS[arch].context
    return {"steps": trained.result.step, "val_nll": nll, "val_tokens": tokens,
            "tokens_per_s": trained.result.step * config.batch_size * context / elapsed,
            "eval_s": time.monotonic() - started,
            "params": sum(p.numel() for p in model.parameters())}


def frame_run(minutes: float, root: Path, seed: int, output: str) -> dict[str, float]:
    run = root / f"frames-{output}"
    config = TrainConfig(steps=10**6, minutes=minutes, batch_size=32, lr=3e-3, save_every=10**6,
                         log_every=20, seed=seed, device="cpu")
    result = train_frames("builtin:bach", run, config, catalog=False,
                          model_config=FrameConfig(cell="lstm", hidden=256, output=output))
    model = checkpoint.load(run)
    splits = builtin_splits("bach")
    test_nll, frames = frame_nll(model, splits.test)
    val_nll, _ = frame_nll(model, splits.validation)
    return {"steps": result.step, "test_nll": test_nll, "val_nll": val_nll, "frames": frames}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="per token model")
    parser.add_argument("--frame-minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (one is fastest on a busy shared VM; docs/music.md)")
    args = parser.parse_args()
    os.environ["ARTFORGE_THREADS"] = str(args.threads)
    torch.set_num_threads(args.threads)
    splits = builtin_splits("bach")
    print(f"builtin:bach: {len(splits.train)} train / {len(splits.validation)} validation / "
          f"{len(splits.test)} test chorales; {torch.get_num_threads()} torch thread(s)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows = {arch: token_run(arch, args.minutes, root, args.seed) for arch in TOKEN_MODELS}
        print(f"\ntoken models (REMI), {args.minutes:g} min each, validation NLL per token:")
        base = rows["lstm"]
        for arch, row in rows.items():
            print(f"  {arch:<11} params {row['params'] / 1e6:5.2f}M  steps {row['steps']:5d}  "
                  f"tokens/s {row['tokens_per_s']:7.0f}  val NLL {row['val_nll']:.4f} nats/token "
                  f"(ratio to lstm {row['val_nll'] / base['val_nll']:.3f}, speed ratio "
                  f"{row['tokens_per_s'] / base['tokens_per_s']:.2f})")
        baseline = independent_keys_nll(rolls_of(splits.train, 1), rolls_of(splits.test, 1))
        print(f"\nframe level (88 keys per quarter note), {args.frame_minutes:g} min, test NLL "
              "per frame:")
        print(f"  independent keys (no model)  {baseline:.3f}")
        for output in ("autoregressive", "independent"):
            row = frame_run(args.frame_minutes, root, args.seed, output)
            print(f"  lstm, {output:<14} outputs  {row['test_nll']:.3f}  (validation "
                  f"{row['val_nll']:.3f}; {row['steps']} steps; {row['frames']} test frames; "
                  f"ratio to baseline {row['test_nll'] / baseline:.3f})")
        print("  literature, JSB Chorales test: LSTM 8.45, GRU 8.43, TCN 8.10, RNN-NADE 5.56")


if __name__ == "__main__":
    main()
