#!/usr/bin/env bash
# Re-make builtin:instant: builtin:adain paints 1,536 (photo, painting) pairs at 256 px
# (photos: builtin:photo-library but every tenth; paintings: builtin:art-library; the 19
# built-in paintings are kept for evaluation), the instant network learns to paint them the
# same (L1 of pixels and of their differences), then it ships as float16. Needs the picture
# libraries: python scripts/fetch_training_images.py
#
#     bash scripts/train-instant.sh [DATA_DIR] [RUN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-runs/instant-data}
run=${2:-runs/instant}
ARTFORGE_THREADS=1 .venv/bin/python scripts/make_instant.py teach "$data" --count 1536
ARTFORGE_THREADS=1 .venv/bin/python scripts/make_instant.py train "$data" "$run" --minutes 55
.venv/bin/python scripts/ship_model.py "$run" instant
