#!/usr/bin/env bash
# Re-make builtin:tang: a `mini` GPT (4 layers, 256 wide, 64-character context) on the Tang
# regular verse of chinese-poetry@2.0.1 in simplified characters (builtin:tang/regular: every
# poem whose lines are all 五言 or all 七言 couplets; the validation poems of
# builtin:tang/wuyan and builtin:tang/qiyan are held out), then ship it as float16.
# About two hours on two CPU cores; on a GPU add --device cuda (minutes). The shipped run took
# its first 1,468 steps under a 5,000-step cosine, then was resumed with --steps 3800 (card.md).
#
#     bash scripts/train-tang.sh [RUN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/tang}
.venv/bin/artforge text train --data builtin:tang/regular --simplified --preset mini \
    --block-size 64 --steps 3800 --batch-size 64 --lr 1e-3 --minutes 180 --save-every 250 \
    --out "$run" --seed 0
.venv/bin/artforge text eval --model "$run" --data builtin:tang/wuyan --simplified
.venv/bin/artforge text eval --model "$run" --data builtin:tang/qiyan --simplified
.venv/bin/python scripts/ship_model.py "$run" tang
