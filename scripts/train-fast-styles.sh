#!/usr/bin/env bash
# Re-make the six shipped fast styles (builtin:starry-night, great-wave, composition-viii,
# auvers, moulin, summertime): one Johnson network (widths 32, 64, 128; five residual blocks)
# with a scale and shift per style in its instance norms (Dumoulin et al. 2017), trained on the
# photos of builtin:photo-library but every tenth (held out), 128 px squares cut from 256 px
# ones, batch 4, Adam 1e-3: 627 steps with style weight 1 (palettes, no strokes yet), then
# from those weights with style weight 3, the rate held then falling to 1e-4 over the last
# fifth (wsd), then a third stage the same way from those weights (a new optimiser; 3,770 steps
# in the shipped run, which started from the six shipped styles joined by
# MultiStyleModel.from_singles, i.e. the second stage's weights in float16); each style is then
# exported as a plain johnson model and shipped as float16.
# About 30 + 95 + 140 minutes on one CPU thread. Needs the picture libraries:
# artforge data fetch-libraries
#
#     bash scripts/train-fast-styles.sh [RUN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/fast-styles}
ARTFORGE_THREADS=1 .venv/bin/python scripts/make_fast_styles.py train "$run-start" --steps 627
ARTFORGE_THREADS=1 .venv/bin/python scripts/make_fast_styles.py train "$run" --minutes 95 \
    --schedule wsd --style-weight 3 --init-from "$run-start"
ARTFORGE_THREADS=1 .venv/bin/python scripts/make_fast_styles.py train "$run-3" --minutes 140 \
    --schedule wsd --style-weight 3 --init-from "$run" --save-every 250
.venv/bin/python scripts/make_fast_styles.py export "$run-3" "$run-styles"
for name in starry-night great-wave composition-viii auvers moulin summertime; do
    .venv/bin/python scripts/ship_model.py "$run-styles/$name" "$name"
done
