#!/usr/bin/env bash
# Re-make builtin:sketch-painting: pix2pix (U-Net 256, 32 channels, colour hints) on
# builtin:art-library (103 paintings; 10 % held out by name for `image eval`; the three
# paintings held out for evaluation by the project are not in the library), line art drawn by
# HED, each crop's line art varied as a hand draws it (--canvas-strokes), 130 minutes on one
# CPU thread, then ship it as float16. Needs the picture libraries:
# python scripts/fetch_training_images.py
#
#     bash scripts/train-sketch-painting.sh [RUN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/sketch-painting}
ARTFORGE_THREADS=1 .venv/bin/artforge image pix2pix train --data builtin:art-library --size 256 \
    --canvas-strokes --minutes 130 --steps 100000 --out "$run" --seed 0
.venv/bin/artforge image eval --model "$run" --data builtin:art-library --out "$run/eval"
.venv/bin/python scripts/ship_model.py "$run" sketch-painting
