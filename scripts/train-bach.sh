#!/usr/bin/env bash
# Re-make builtin:bach: a 2-layer LSTM (384 units, REMI tokens, 256-token windows, random
# transposition by up to 5 semitones) on the train split of the Bach chorales artforge ships
# (builtin:bach; BWV numbers ending in 8 are validation, in 9 test and never trained on), then
# ship it as float16. About 80 minutes on one CPU thread.
#
#     bash scripts/train-bach.sh [RUN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/bach}
ARTFORGE_THREADS=1 .venv/bin/artforge music train --data builtin:bach --arch lstm --hidden 384 \
    --layers 2 --context 256 --batch-size 32 --lr 2e-3 --schedule cosine --steps 2500 \
    --minutes 95 --save-every 250 --out "$run" --seed 0
.venv/bin/artforge music eval --model "$run" --data builtin:bach --split test
.venv/bin/python benchmarks/bach_continuation.py --model "$run"
.venv/bin/python scripts/ship_model.py "$run" bach
