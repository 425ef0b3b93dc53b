#!/bin/bash
# The 16-bar melody VAE on a lent GPU: bfloat16 autocast (the default) against float32
# (--no-amp), side by side for M minutes each, then greedy reconstructions of both
# (benchmarks/vae_reconstruct.py) and their weights as tars in $OUT.
#
# Why: 6.5 minutes on an H100 with autocast (2026-11-26) collapsed to one melody for every
# code, while the float32 CPU run keeps learning. Prepare .devcarry/wheels as for
# scripts/gpu-check.sh, then: OUT=$OUT M=6 bash scripts/gpu-vae16.sh
# (DEV=cpu M=0.2 checks it here).
set -u
DEV=${DEV:-cuda}; M=${M:-6}; PY=${PY:-python3}; R=${R:-/tmp/vae16runs}
mkdir -p "$R" "$OUT"
export ARTFORGE_HOME=$R/home PYTHONUNBUFFERED=1
if [ "$DEV" = cuda ]; then
  $PY -m pip install -q --no-deps --target /tmp/site .devcarry/wheels/*.whl 2>&1 | tail -2
  export PYTHONPATH=$PWD/src:/tmp/site
fi
for precision in amp no-amp; do
  $PY -m artforge music vae train --data builtin:bach --bars 16 --out "$R/$precision" \
    --device "$DEV" --minutes "$M" --steps 1000000 --save-every 2000 "--$precision" \
    > "$R/$precision.log" 2>&1 &
done
wait
for precision in amp no-amp; do
  { echo "== $precision"; tail -n 1 "$R/$precision.log"
    $PY benchmarks/vae_reconstruct.py "$R/$precision" builtin:bach --threads 4; } \
    >> "$OUT/summary.txt" 2>&1
  ck=$(ls -d "$R/$precision"/checkpoints/step-* | sort | tail -1)
  tar -C "$R" -cf "$OUT/$precision.tar" "$precision/metrics.jsonl" "${ck#"$R"/}/model.safetensors" \
    "${ck#"$R"/}/config.json"
done
cat "$OUT/summary.txt"
