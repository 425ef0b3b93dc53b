#!/usr/bin/env bash
# Re-make builtin:folk: a 2-layer LSTM (384 units, REMI tokens, 256-token windows, random
# transposition by up to 5 semitones) on the train part of builtin:folk (the Essen songs, Aird's
# airs, Ryan's Mammoth Collection and two smaller books that music21 ships, read by symusic with
# repeats played out; tunes whose title or opening is also in O'Neill's collection are left
# out), then ship it as float16. O'Neill's collection (builtin:oneill) is held out for
# evaluation and never trained on. About 85 minutes on one CPU thread.
#
#     bash scripts/train-folk.sh [RUN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/folk}
ARTFORGE_THREADS=1 .venv/bin/artforge music train --data builtin:folk --arch lstm --hidden 384 \
    --layers 2 --context 256 --batch-size 32 --lr 2e-3 --schedule cosine --steps 3000 \
    --minutes 85 --save-every 250 --out "$run" --seed 0
.venv/bin/artforge music eval --model "$run" --data builtin:folk --split test
.venv/bin/artforge music eval --model "$run" --data builtin:oneill --split test
.venv/bin/python scripts/ship_model.py "$run" folk
