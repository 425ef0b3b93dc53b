#!/bin/bash
# GPU path check: every trainer and sampler from the command line on --device cuda (AMP on,
# cudnn), plus a long pix2pix run whose translations are kept for a look.
#
# Made for the lent GPU machine (the `device` tool), whose python3 has torch but not all of
# artforge's dependencies and no network. Prepare, in a folder ignored by git and carried:
#   .devcarry/wheels/        wheels of what the image lacks (mido, miditok, symusic,
#                            pretty_midi, pypinyin, opencc, pySmartDL, platformdirs; `pip
#                            download --python-version 3.12 --only-binary=:all: ...`)
#   .devcarry/vgg16-fp16.safetensors   the converted VGG16 cache in fp16 (fits the carry limit)
#   .devcarry/p2p/{A,B}/     HED line art and pictures (`artforge image sketch --method hed`)
# then: OUT=$OUT LONG=180 bash scripts/gpu-check.sh   (DEV=cpu D=50 checks it here, fast).
# Each step's exit code, time and last line go to $OUT/summary.txt, failures to fail.txt.
set -u
DEV=${DEV:-cuda}
S=${S:-1}
D=${D:-1}
PY=${PY:-python3}
R=${R:-/tmp/gpuruns}
LONG=${LONG:-150}
mkdir -p "$R" "$OUT"
export ARTFORGE_HOME=$R/home PYTHONUNBUFFERED=1
mkdir -p "$ARTFORGE_HOME/weights"
if [ "$DEV" = cuda ]; then
  $PY -m pip install -q --no-deps --target /tmp/site .devcarry/wheels/*.whl 2>&1 | tail -2
  export PYTHONPATH=$PWD/src:/tmp/site
  nvidia-smi --query-gpu=name,memory.total --format=csv > "$OUT/log.txt"
fi
$PY -c "
from safetensors.torch import load_file, save_file
w = load_file('.devcarry/vgg16-fp16.safetensors')
save_file({k: v.float() for k, v in w.items()}, '$ARTFORGE_HOME/weights/vgg16-imagenet-conv.safetensors')
import torch; print('torch', torch.__version__, torch.cuda.is_available())
" >> "$OUT/log.txt" 2>&1
AF="$PY -m artforge"
step() {  # name, timeout, command...
  local name=$1 limit=$2; shift 2
  local t0=$(date +%s.%N)
  timeout "$limit" "$@" > "$R/$name.log" 2>&1
  local rc=$?
  printf '%-22s rc=%-3s %6.1fs  %s\n' "$name" "$rc" "$(awk "BEGIN{print $(date +%s.%N) - $t0}")" \
    "$(grep -v '^\s*$' "$R/$name.log" | tail -1 | cut -c1-150)" >> "$OUT/summary.txt"
  [ $rc -ne 0 ] && { echo "=== $name" >> "$OUT/fail.txt"; tail -25 "$R/$name.log" >> "$OUT/fail.txt"; }
  return 0
}
long() {  # pix2pix quality: the paintings with HED line art, many steps
  step p2p_long $((LONG + 60)) $AF image pix2pix train --data .devcarry/p2p --out $R/p2p_long \
    --device $DEV --minutes $(awk "BEGIN{print $LONG / 60}") --steps 100000 --save-every 2000
  step p2p_long_tr 60 $AF image pix2pix translate --model $R/p2p_long --in .devcarry/p2p/A \
    --out $R/p2p_long_out --device $DEV
}
checks() {
  for arch in dcgan stylegan fastgan; do
    step gan_$arch 120 $AF image gan train --data builtin:abstract --arch $arch --size 64 \
      --out $R/gan_$arch --device $DEV --steps $((150 * S / D)) --save-every 100
    step gan_${arch}_sample 60 $AF image gan sample --model $R/gan_$arch --out $R/gan_$arch.png \
      --n 16 --device $DEV
  done
  step gan_resume 90 $AF image gan train --data builtin:abstract --arch stylegan --size 64 \
    --out $R/gan_stylegan --device $DEV --steps $((200 * S / D)) --resume
  step text_train 120 $AF text train --data docs --preset tiny --out $R/text --device $DEV \
    --steps $((200 * S / D))
  step text_gen 60 $AF text generate --model $R/text --prompt "The studio" --max-new-tokens 80 \
    --device $DEV --no-stream
  for arch in lstm transformer; do
    step music_$arch 120 $AF music train --data builtin:bach --arch $arch --out $R/m_$arch \
      --device $DEV --steps $((150 * S / D))
    step music_${arch}_gen 60 $AF music generate --model $R/m_$arch --out $R/m_$arch.mid \
      --max-tokens 300 --device $DEV
  done
  step vae_train 120 $AF music vae train --data builtin:bach --out $R/vae --device $DEV \
    --steps $((150 * S / D))
  step band_train 120 $AF music band train --data builtin:bach --out $R/band --device $DEV \
    --steps $((100 * S / D))
  step band_musegan 120 $AF music band train --data builtin:bach --arch musegan --out $R/bandg \
    --device $DEV --steps $((100 * S / D))
  step p2p_short 120 $AF image pix2pix train --data .devcarry/p2p --out $R/p2p --device $DEV \
    --steps $((100 * S / D)) --save-every 100
  step p2phd_short 120 $AF image pix2pix train --data .devcarry/p2p --arch pix2pixhd \
    --out $R/p2phd --device $DEV --steps $((60 * S / D)) --save-every 100
  step p2p_translate 60 $AF image pix2pix translate --model $R/p2p --in .devcarry/p2p/A/$(ls .devcarry/p2p/A | head -1) \
    --out $R/p2p_one.png --device $DEV
  step style_gatys 150 $AF style transfer --content builtin:astronaut \
    --style builtin:van-gogh-starry-night --out $R/gatys.png --device $DEV ${GATYS:-}
  step style_johnson 150 $AF style train --style builtin:van-gogh-starry-night \
    --data builtin:photos --out $R/johnson --device $DEV --steps $((200 * S / D))
  step style_adain 150 $AF style train --method adain --style builtin:paintings --data builtin:photos --out $R/adain \
    --device $DEV --steps $((100 * S / D))
  step style_stylize 60 $AF style stylize --model $R/johnson --in .devcarry/p2p/B \
    --out $R/stylized --device $DEV
}
if [ "${ONLY:-}" = checks ]; then checks; else long & checks; wait; fi
cd "$R" && tar czf "$OUT/pngs.tgz" $(ls gan_*.png gatys.png p2p_one.png 2>/dev/null) \
  $(ls -d p2p_long/samples p2p_long_out stylized 2>/dev/null) 2>/dev/null
ls -la "$OUT"
