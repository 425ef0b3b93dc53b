#!/usr/bin/env bash
# Re-make builtin:paintings-gan: the GAN recipe's DCGAN (hinge loss, DiffAugment colour,
# translation and cutout, R1 penalty 0.2, generator EMA, batch 16) at 128 px, widths from 16 channels at full size, on the
# training part of builtin:art-library (old masters and painterly game art from Debian
# packages; 10 % held out by name, the same pictures sketch-to-painting holds out, and the
# project's three held-out paintings are not in the library at all). About 105 minutes on one
# CPU thread, then a continuation of about 170 minutes (wsd: the rate falls over its last fifth;
# the shipped model took the second stage in two sittings, 1,717 + 11,574 steps) (with colour and translation alone, the discriminator told the 93 pictures from
# the generator's with certainty within 2,000 steps and the samples were dotted); then ship it as float16. Needs the picture libraries:
# artforge data fetch-libraries
#
#     bash scripts/train-paintings-gan.sh [RUN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/paintings-gan}
split=${run}-data
.venv/bin/python scripts/split_library.py builtin:art-library "$split" --holdout 0.1
ARTFORGE_THREADS=1 .venv/bin/artforge image gan train --data "$split/train" \
    --size 128 --channels 16 --augment color,translation,cutout --r1 0.2 --minutes 105 --steps 100000 --save-every 500 --out "$run" --seed 0
ARTFORGE_THREADS=1 .venv/bin/artforge image gan train --data "$split/train" \
    --init-from "$run" --augment color,translation,cutout --minutes 170 --steps 100000 \
    --save-every 500 --schedule wsd --out "$run-2" --seed 1
.venv/bin/python scripts/ship_model.py "$run-2" paintings-gan
