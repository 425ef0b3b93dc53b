#!/usr/bin/env bash
# Re-make builtin:folk-band: a band Transformer (width 192, 3 layers; tracks melody, bass,
# piano, drums) on the train part of builtin:folk-band (the tunes of builtin:folk, each arranged
# by the rule arranger of artforge.music.band.folkband), 125 minutes on one CPU thread with the
# cosine fitted to the time budget, then ship it as float16. O'Neill's tunes (builtin:oneill)
# are not in builtin:folk, so they are not in its arrangements either.
#
#     bash scripts/train-folk-band.sh [RUN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/folk-band}
ARTFORGE_THREADS=1 .venv/bin/artforge music band train --data builtin:folk-band --width 192 \
    --layers 3 --batch-size 16 --lr 1e-3 --schedule cosine --steps 12000 --minutes 125 \
    --save-every 250 --out "$run" --seed 0
.venv/bin/python benchmarks/band_harmony.py "$run"
.venv/bin/python scripts/ship_model.py "$run" folk-band
