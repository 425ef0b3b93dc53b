#!/usr/bin/env bash
# Re-make builtin:sketch-painting: pix2pix (U-Net, 128 px crops of pictures at a 256 px working
# side, 32 channels, colour hints) on builtin:art-library (103 paintings; 10 % held out by name
# for `image eval`; the three paintings held out for evaluation by the project are not in the
# library), line art drawn by HED, each crop's line art varied as a hand draws it
# (--canvas-strokes), 115 minutes on one CPU thread with the learning rate falling to a tenth
# over the last fifth (wsd), then ship it as float16. Needs the picture libraries:
# artforge data fetch-libraries
#
#     bash scripts/train-sketch-painting.sh [RUN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/sketch-painting}
ARTFORGE_THREADS=1 .venv/bin/artforge image pix2pix train --data builtin:art-library --size 128 \
    --canvas-strokes --minutes 115 --schedule wsd --steps 100000 --out "$run" --seed 0
.venv/bin/artforge image eval --model "$run" --data builtin:art-library --out "$run/eval"
.venv/bin/python scripts/ship_model.py "$run" sketch-painting
