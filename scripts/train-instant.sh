#!/usr/bin/env bash
# Re-make builtin:instant. builtin:adain paints 1,536 (photo, painting) pairs at 256 px
# (photos: builtin:photo-library but every tenth; paintings: builtin:art-library; the 19
# built-in paintings are kept for evaluation). Stage 1: the instant network learns to paint
# them the same (L1 of pixels and of their differences). Stage 2 goes on from it with the VGG
# terms on 128 px crops: the teacher's painting in VGG features and the painting's channel
# statistics (InstantModel's perceptual and style weights). Then it ships as float16.
# Needs the picture libraries: artforge data fetch-libraries. On a CPU, one thread
# each; with a GPU (--device auto finds it) the same commands run as they are.
#
#     bash scripts/train-instant.sh [DATA_DIR] [RUN_DIR]
#
# Not shipped yet (it does not paint as well as builtin:adain). So that CPU training adds up
# across machines, scripts/resume/instant holds the latest second-stage weights (session 22:
# 1,636 steps at --style 5 from a 25-minute first stage; held-out style loss 2.50x adain's,
# content 0.94x). To go on from them after the `teach` line:
#     ARTFORGE_THREADS=1 .venv/bin/python scripts/make_instant.py train "$data" "$run" \
#         --minutes 120 --crop 128 --perceptual 1 --style 5 --lr 5e-4 \
#         --init-from scripts/resume/instant
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-runs/instant-data}
run=${2:-runs/instant}
ARTFORGE_THREADS=1 .venv/bin/python scripts/make_instant.py teach "$data" --count 1536
ARTFORGE_THREADS=1 .venv/bin/python scripts/make_instant.py train "$data" "$run-pixels" \
    --minutes 32
ARTFORGE_THREADS=1 .venv/bin/python scripts/make_instant.py train "$data" "$run" --minutes 125 \
    --crop 128 --perceptual 1 --style 2 --lr 5e-4 \
    --init-from "$(ls -d "$run-pixels"/checkpoints/step-* | tail -1)"
.venv/bin/python scripts/ship_model.py "$run" instant
