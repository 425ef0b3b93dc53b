#!/usr/bin/env bash
# Train the shipped models on a lent GPU machine (the `device` tool) in one command: four jobs
# at once on the one GPU (small models leave an H100 mostly idle), each stopping by the clock
# so that the command ends within MINUTES + 1 minutes:
#   instant        builtin:instant (scripts/train-instant.sh's recipe): builtin:adain paints
#                  TEACH_COUNT pairs (at most two fifths of the time), then stage 1 (pixels) for
#                  a quarter of what is left and stage 2 (VGG terms, 128 px crops) for the rest
#   fast-styles    the six fast styles (make_fast_styles.py, johnson-styles), starting from the
#                  shipped six (pack_gpu_carry.py joins them into one model): style weight 3,
#                  FS_CROP px crops, batch FS_BATCH, rate FS_LR, wsd
#   paintings-gan  builtin:paintings-gan continued (--init-from) on the training part of
#                  builtin:art-library (split_library.py, the recipe's split), wsd
#   tang           a new Tang verse model larger than builtin:tang's `mini` (4 layers, 5.1M
#                  parameters): `mini-deep`, 7 layers 256 wide, 7.5M parameters, dropout 0.2,
#                  64-character context (builtin:tang's, so `text eval` scores the same windows),
#                  on builtin:tang/regular --simplified (train-tang.sh's data and held-out
#                  poems, from .devcarry/tang; a first step checks that its digest is the one
#                  packed here, and trains nothing when it is not), batch TANG_BATCH, rate
#                  TANG_LR, wsd to TANG_STEPS steps or the clock, whichever ends first, bfloat16
#                  autocast, validation every TANG_EVAL steps (val_loss in metrics.jsonl).
#                  The corpus is small for a GPU (2.6M training characters): guessed, NOT
#                  measured on a GPU, an H100 shared with the three other jobs does 10-40
#                  steps a second of 256 x 64 characters, so 8 minutes of clock alone would
#                  pass over the text 30 to 120 times and could overfit; TANG_STEPS 10,000 is
#                  63 passes (a guess too: metrics.jsonl's val_loss says whether it rose
#                  before the end). 7.5M parameters is the most the returned tar holds: 15 MB
#                  in float16 (the shipped folder, with its 4 MB training text: 19 MB)
# Back in $OUT (at most 8 files, 16 MiB each): summary.txt (each step's exit code, seconds,
# steps and last line; each tar's size), log.txt (device, then each step's log tail), JOB.tar
# for each job (its newest checkpoint and metrics; when a tar would pass 16 MiB, without a text
# model's training text (corpus.txt.gz, 4 MB for tang: --resume makes it again), then without
# the optimiser's moments (a resumed run starts them anew), then with its weights in float16
# (as they are shipped): fast-styles needs the moments' step, paintings-gan two, tang all
# three, ending near 15 MiB) and paintings-gan-samples.png (the newest sample grid).
#
# Resume: a tar put back as .devcarry/resume/JOB.tar makes that job continue its run (instant
# at the stage it had reached, with as many teacher pairs as before); a wsd run goes on from
# its saved weights and optimiser with the rate back at its level and falls again by the end,
# so every returned checkpoint has had its cool-down (tang: TANG_STEPS more steps).
#
# From a session that is lent a GPU:
#   1. here, once: .venv/bin/python scripts/pack_gpu_carry.py    (builds .devcarry/, ~39 MiB,
#      git-ignored; it prints its parts and what would travel with it)
#   2. check it here: DEV=cpu MINUTES=1 OUT=/tmp/gpuout bash scripts/gpu-train.sh (on a CPU
#      instant's teacher needs more time: JOBS=instant MINUTES=3 runs its three steps; tang
#      trains its real shape at batch 4)
#   3. the call: the device tool refuses one whose tree and carry pass 64 MiB together, and the
#      shipped models alone are ~110 MiB, so hold out of the tree those this script does not
#      load (all but adain and paintings-gan) and docs/images, call, and put them back at once
#      (while they are held, their deletion is staged: commit nothing, test nothing):
#        python3 scripts/device_tree.py hold       (to ../held-models; 100 MiB on 2026-12-07)
#        python3 scripts/device_tree.py size --carry .devcarry    (58.8 MiB then: it fits)
#        the device tool's run, with carry [".devcarry"] and timeout_s 600 (MINUTES 8 ends by
#        9 minutes; start-up counts against the 15 device minutes too):
#          OUT=$OUT MINUTES=8 bash scripts/gpu-train.sh
#        python3 scripts/device_tree.py restore    (`git status` as it was before the hold)
#   4. read summary.txt; to go on in a later call or session, copy the returned JOB.tar files
#      to .devcarry/resume/ and run again. They travel too, and leave room for few jobs: hold
#      every model the call's JOBS do not load (`hold --keep` with none: a resumed GAN, fast
#      styles and tang load none; instant loads adain, a new GAN paintings-gan) and name in
#      JOBS only what is resumed or fits beside it. fast-styles.tar is ~10 MiB,
#      paintings-gan.tar and tang.tar ~15 MiB each: JOBS=tang (or "tang fast-styles" with no
#      fast-styles.tar) and `hold --keep` carry 58.9 MiB with tang.tar (measured on a clone,
#      2026-12-07); two 15 MiB tars do not fit together. `size` says.
#   5. ship: tar -xf instant.tar -C runs/gpu && .venv/bin/python scripts/ship_model.py
#      runs/gpu/instant instant; the same for paintings-gan (ship_model.py runs/gpu/paintings-gan
#      paintings-gan); fast styles: make_fast_styles.py export runs/gpu/fast-styles
#      runs/gpu/fast-styles-out, then ship_model.py each style, as train-fast-styles.sh does.
#      tang, only if it beats builtin:tang on the held-out poems of both forms. The tar leaves
#      out corpus.txt.gz, the training text a shipped text model keeps for its originality
#      reports (ship_model.py copies a run's files as they are): when summary.txt's tang-data
#      line says the poems are those packed here, it is builtin:tang's own file, byte for byte.
#        tar -xf tang.tar -C runs/gpu
#        cp src/artforge/assets/models/tang/corpus.txt.gz runs/gpu/tang/checkpoints/step-*/
#        .venv/bin/artforge text eval --model runs/gpu/tang --data builtin:tang/wuyan \
#            --simplified          (builtin:tang: 4.193 nats/token; the same 64-token windows)
#        .venv/bin/artforge text eval --model runs/gpu/tang --data builtin:tang/qiyan \
#            --simplified          (builtin:tang: 4.282)
#        .venv/bin/python scripts/ship_model.py runs/gpu/tang tang    (19 MB: under 25)
#      then card.md by hand (shape, steps, figures, poems, benchmarks/tang_lines.py) and
#      train-tang.sh's recipe, as for any re-shipped model.
#
# Environment: MINUTES (8), DEV (cuda; cpu checks the script here), OUT (required), JOBS (all
# four, or some: "instant fast-styles paintings-gan tang"), R (scratch,
# /tmp/artforge-gpu-train), PY (.venv/bin/python when there is one, else python3),
# ARTFORGE_THREADS (4 a job on cuda, 1 on cpu), TEACH_COUNT, INSTANT_BATCH, FS_CROP, FS_BATCH,
# FS_LR, FS_SAVE, GAN_BATCH, GAN_SAVE, TANG_BATCH (256; 4 on cpu), TANG_LR (1e-3), TANG_STEPS
# (10000), TANG_SAVE, TANG_EVAL (FS_SAVE, GAN_SAVE and TANG_SAVE: steps between checkpoints;
# each job also saves when it stops; TANG_EVAL: steps between validations).
set -u
cd "$(dirname "$0")/.."
: "${OUT:?set OUT: the folder whose files come back}"
MINUTES=${MINUTES:-8}
JOBS=${JOBS:-instant fast-styles paintings-gan tang}
DEV=${DEV:-cuda}
R=${R:-/tmp/artforge-gpu-train}
CARRY=.devcarry
if [ -z "${PY:-}" ]; then
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi
if [ "$DEV" = cpu ]; then  # a check of the script: the smallest loads that still run each step
  : "${ARTFORGE_THREADS:=1}" "${TEACH_COUNT:=8}" "${INSTANT_BATCH:=2}" "${FS_CROP:=128}"
  : "${FS_BATCH:=4}" "${FS_SAVE:=20}" "${GAN_SAVE:=20}" "${TANG_BATCH:=4}" "${TANG_SAVE:=20}"
  : "${TANG_EVAL:=40}"
else  # FS_SAVE 1000: a checkpoint every 1-3 minutes on an H100 (not measured there; guessed
      # from builtin:adain's 24 steps a second, 2/3 of the work of a fast-styles step)
  : "${ARTFORGE_THREADS:=4}" "${TEACH_COUNT:=4096}" "${INSTANT_BATCH:=16}" "${FS_CROP:=256}"
  : "${FS_BATCH:=16}" "${FS_SAVE:=1000}" "${GAN_SAVE:=1000}" "${TANG_BATCH:=256}"
  : "${TANG_SAVE:=1000}" "${TANG_EVAL:=500}"
fi
FS_LR=${FS_LR:-5e-4}
GAN_BATCH=${GAN_BATCH:-16}
TANG_LR=${TANG_LR:-1e-3}
TANG_STEPS=${TANG_STEPS:-10000}
STARTUP=15  # seconds a trainer spends before its --minutes start counting (data, model, VGG)
GRACE=25    # past the deadline, a step is sent SIGTERM (it saves and stops); 15 s later, KILL
CKPT=step-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]  # a checkpoint folder's name
START=$(date +%s)
DEADLINE=$((START + $(awk "BEGIN{print int($MINUTES * 60)}") - 10))

# 1. Scratch folder, artforge's home (the carried libraries under its cache), packages, VGG.
if [ -d "$R" ] && [ ! -f "$R/.gpu-train" ] && [ -n "$(ls -A "$R")" ]; then
  echo "$R is not this script's scratch folder; set R to another" >&2; exit 2
fi
mkdir -p "$R" "$OUT"
find "$R" -mindepth 1 -maxdepth 1 ! -name home -exec rm -rf {} +
touch "$R/.gpu-train"
mkdir -p "$R/logs" "$R/home/weights" "$R/home/cache"
ln -sfn "$PWD/$CARRY/libraries" "$R/home/cache/libraries"
export ARTFORGE_HOME=$R/home ARTFORGE_THREADS PYTHONUNBUFFERED=1
export PYTHONPATH=$PWD/src:/tmp/site${PYTHONPATH:+:$PYTHONPATH}
LOG=$R/logs/setup.log
{
  date -u; echo "MINUTES=$MINUTES DEV=$DEV threads=$ARTFORGE_THREADS"
  ls "$CARRY/resume" 2>/dev/null | sed 's/^/resume: /'
  if ! $PY -c "import miditok, symusic, opencc" 2>/dev/null; then
    $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
      --target /tmp/site "$CARRY"/wheels/*.whl
  fi
  $PY - "$CARRY/vgg16-fp16.safetensors" <<'EOF'
import sys

import torch
from safetensors.torch import load_file, save_file

from artforge.encoders.vgg16 import BLOCKS, weights_path

weights = {name: value.float() for name, value in load_file(sys.argv[1]).items()}
cin = 3
for b, convs in enumerate(BLOCKS, 1):
    for c, cout in enumerate(convs, 1):  # blocks left out of the carry: NaN, so a use fails
        weights.setdefault(f"conv{b}_{c}.weight", torch.full((cout, cin, 3, 3), float("nan")))
        weights.setdefault(f"conv{b}_{c}.bias", torch.full((cout,), float("nan")))
        cin = cout
save_file(weights, str(weights_path()))
print("VGG16 blocks carried:", sorted({name[4] for name in load_file(sys.argv[1])}))
gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU"
print("torch", torch.__version__, gpu)
EOF
  $PY scripts/split_library.py builtin:art-library "$R/paintings-data" --holdout 0.1
  command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv
} > "$LOG" 2>&1

left() { echo $((DEADLINE - $(date +%s))); }
minutes() {  # SECONDS [STARTUP]: a trainer's --minutes
  awk "BEGIN{m = ($1 - ${2:-$STARTUP}) / 60; print (m > 0.05 ? m : 0.05)}"
}
step_of() {  # RUN: the step of its newest checkpoint, 0 without one
  local last
  last=$(ls -d "$1"/checkpoints/$CKPT 2>/dev/null | tail -1)
  [ -n "$last" ] && echo $((10#${last##*step-})) || echo 0
}
unpack() {  # JOB: unpack .devcarry/resume/JOB.tar into $R; fails when there is none
  [ -f "$CARRY/resume/$1.tar" ] && tar -xf "$CARRY/resume/$1.tar" -C "$R"
}
restart_schedule() {  # RUN: a resumed wsd run starts its fall anew (its rate back at the level)
  $PY - "$(ls -d "$1"/checkpoints/$CKPT | tail -1)/training_state.pt" <<'EOF'
import sys

import torch

state = torch.load(sys.argv[1], map_location="cpu", weights_only=True)
state["optimizers"]["progress"] = 0.0
torch.save(state, sys.argv[1])
EOF
}
step() {  # NAME RUN SECONDS COMMAND...: run it, SIGTERM after SECONDS; a line in the summary
  local name=$1 run=$2 limit=$3; shift 3
  local t0 before rc steps=""
  if [ "$limit" -lt 5 ]; then  # (timeout 0 would mean no limit at all)
    printf '%-15s skipped: no time left\n' "$name" > "$R/logs/$name.summary"
    return 1
  fi
  t0=$(date +%s); before=$(step_of "$run")
  timeout --preserve-status -s TERM -k 15 "$limit" "$@" > "$R/logs/$name.log" 2>&1
  rc=$?
  [ "$run" != - ] && steps="steps $before->$(step_of "$run")"
  printf '%-15s rc=%-3s %4ss %-18s %s\n' "$name" "$rc" $(($(date +%s) - t0)) "$steps" \
    "$(grep -v '^\s*$' "$R/logs/$name.log" | tail -1 | cut -c1-160)" > "$R/logs/$name.summary"
  return $rc
}

# 2. The jobs.
instant_job() {
  local data=$R/instant-data count=$TEACH_COUNT pairs s1 from=()
  if unpack instant; then count=$(cat "$R/instant-teach-count.txt"); fi
  step instant-teach - $(($(left) * 2 / 5)) \
    $PY scripts/make_instant.py teach "$data" --count "$count"
  pairs=$(($(ls "$data"/shard-*.npz 2>/dev/null | wc -l) * 64))
  pairs=$((pairs < count ? pairs : count))
  sed -i "1s/\$/ ($pairs pairs)/" "$R/logs/instant-teach.summary"
  [ "$pairs" -gt 0 ] || return
  echo "$pairs" > "$R/instant-teach-count.txt"
  if [ ! -d "$R/instant" ]; then
    [ -d "$R/instant-pixels" ] && from=(--resume)
    s1=$(($(left) / 4))
    step instant-pixels "$R/instant-pixels" $((s1 + GRACE)) \
      $PY scripts/make_instant.py train "$data" "$R/instant-pixels" --minutes "$(minutes $s1)" \
      --batch-size "$INSTANT_BATCH" --device "$DEV" "${from[@]}"
    [ "$(step_of "$R/instant-pixels")" -gt 0 ] || return
    ln -sfn "$(ls -d "$R"/instant-pixels/checkpoints/$CKPT | tail -1)" \
      "$R/instant-pixels-last"
    from=()
  else
    from=(--resume)
  fi
  step instant "$R/instant" $(($(left) + GRACE)) \
    $PY scripts/make_instant.py train "$data" "$R/instant" --minutes "$(minutes "$(left)")" \
    --crop 128 --perceptual 1 --style 2 --lr 5e-4 --init-from "$R/instant-pixels-last" \
    --batch-size "$INSTANT_BATCH" --device "$DEV" "${from[@]}"
}
fast_styles_job() {
  local from=()
  if unpack fast-styles; then from=(--resume); restart_schedule "$R/fast-styles"; fi
  step fast-styles "$R/fast-styles" $(($(left) + GRACE)) \
    $PY scripts/make_fast_styles.py train "$R/fast-styles" --minutes "$(minutes "$(left)")" \
    --schedule wsd --style-weight 3 --lr "$FS_LR" --crop "$FS_CROP" --batch-size "$FS_BATCH" \
    --save-every "$FS_SAVE" --init-from "$CARRY/fast-styles-start" --device "$DEV" "${from[@]}"
}
gan_job() {
  local from=(--init-from builtin:paintings-gan)
  if unpack paintings-gan; then from=(--resume); restart_schedule "$R/paintings-gan"; fi
  step paintings-gan "$R/paintings-gan" $(($(left) + GRACE)) \
    $PY -m artforge image gan train --data "$R/paintings-data/train" \
    --augment color,translation,cutout --minutes "$(minutes "$(left)" 0)" \
    --steps 1000000 --save-every "$GAN_SAVE" --schedule wsd --batch-size "$GAN_BATCH" \
    --seed 0 --out "$R/paintings-gan" --device "$DEV" "${from[@]}"
}
tang_job() {
  local run=$R/tang steps=$TANG_STEPS from=() packed here
  if unpack tang; then
    from=(--resume); restart_schedule "$run"; steps=$(($(step_of "$run") + TANG_STEPS))
  fi
  if [ ! -f "$CARRY/tang/digest.txt" ]; then
    printf '%-15s no %s/tang: run pack_gpu_carry.py\n' tang-data "$CARRY" \
      > "$R/logs/tang-data.summary"
    return
  fi
  # The carried poems as the cache file builtin:tang reads, then the check that they are.
  $PY -c 'import lzma, sys; open(sys.argv[2], "wb").write(lzma.open(sys.argv[1]).read())' \
    "$CARRY/tang/poems.json.xz" "$R/home/cache/tang-poems.json" > "$R/logs/tang-data.log" 2>&1
  $PY scripts/pack_gpu_carry.py --tang-digest >> "$R/logs/tang-data.log" 2>&1
  packed=$(cat "$CARRY/tang/digest.txt"); here=$(tail -1 "$R/logs/tang-data.log")
  if [ "$here" != "$packed" ]; then
    printf '%-15s DIFFERENT from the packed poems, not trained: %s\n' tang-data \
      "$(echo "$here" | cut -c1-120)" > "$R/logs/tang-data.summary"
    return
  fi
  printf '%-15s the poems and held-out split packed here (sha256 %s)\n' tang-data \
    "${here:0:16}" > "$R/logs/tang-data.summary"
  step tang "$run" $(($(left) + GRACE)) \
    $PY -m artforge text train --data builtin:tang/regular --simplified --preset mini-deep \
    --block-size 64 --batch-size "$TANG_BATCH" --lr "$TANG_LR" --schedule wsd \
    --steps "$steps" --minutes "$(minutes "$(left)" 0)" --save-every "$TANG_SAVE" \
    --eval-every "$TANG_EVAL" --seed 0 --out "$run" --device "$DEV" "${from[@]}"
}
for job in $JOBS; do
  case $job in
    instant) instant_job & ;;
    fast-styles) fast_styles_job & ;;
    paintings-gan) gan_job & ;;
    tang) tang_job & ;;
    *) echo "unknown job $job (instant, fast-styles, paintings-gan, tang)" >&2 ;;
  esac
done
wait

# 3. What comes back: each job's newest checkpoint as a tar, under 16 MiB; summary; logs.
pack() {  # JOB PATH...: $OUT/JOB.tar of these paths under $R (a run: its newest checkpoint)
  $PY - "$R" "$OUT/$1.tar" "${@:2}" <<'EOF'
import shutil
import sys
import tarfile
from pathlib import Path

import torch

from artforge.core.checkpoint import latest_checkpoint, read_weights, weights_bytes

LIMIT = 16 * 2**20 - 2**16
root, tar_path, names = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
stage = root / "pack" / tar_path.stem
shutil.rmtree(stage, ignore_errors=True)
folders = []
for name in names:
    source = root / name
    if source.is_file():
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, stage / name)
    elif source.is_dir() and (newest := latest_checkpoint(source)) is not None:
        shutil.copytree(newest, stage / newest.relative_to(root))
        if (source / "metrics.jsonl").is_file():
            shutil.copy(source / "metrics.jsonl", stage / name / "metrics.jsonl")
        folders.append(stage / newest.relative_to(root))
if not folders:
    print(f"{tar_path.name}: no checkpoint to send back")
    sys.exit()


def drop_training_text(folder):
    (folder / "corpus.txt.gz").unlink(missing_ok=True)


def drop_moments(folder):
    state = torch.load(folder / "training_state.pt", map_location="cpu", weights_only=True)
    for optimizer in state["optimizers"]["optimizers"].values():
        optimizer["state"] = {}
    torch.save(state, folder / "training_state.pt")


def halve_weights(folder):
    """The saved weights, and the raw ones beside an EMA's, in float16 (as they are shipped)."""
    path = folder / "model.safetensors"
    path.write_bytes(weights_bytes(read_weights(folder), torch.float16))
    state = torch.load(folder / "training_state.pt", map_location="cpu", weights_only=True)
    if state.get("model"):
        state["model"] = {name: value.half() if value.is_floating_point() else value
                          for name, value in state["model"].items()}
    torch.save(state, folder / "training_state.pt")


def write():
    with tarfile.open(tar_path, "w") as tar:
        for child in sorted(stage.iterdir()):
            tar.add(child, child.name)
    return tar_path.stat().st_size


size, slimmed = write(), []
slims = [("without the optimiser's moments", drop_moments), ("weights in float16", halve_weights)]
if any((folder / "corpus.txt.gz").is_file() for folder in folders):  # a text model's
    slims.insert(0, ("without corpus.txt.gz (the training text)", drop_training_text))
for what, slim in slims:
    if size <= LIMIT:
        break
    for folder in folders:
        slim(folder)
    size, slimmed = write(), slimmed + [what]
print(f"{tar_path.name}: {size / 2**20:.1f} MiB" + "".join(f", {what}" for what in slimmed)
      + ("; OVER 16 MiB: it will not come back" if size > LIMIT else ""))
EOF
}
newest_stage=instant-pixels
[ "$(step_of "$R/instant")" -gt 0 ] && newest_stage=instant
{
  for name in instant-teach instant-pixels instant fast-styles paintings-gan tang-data tang; do
    cat "$R/logs/$name.summary" 2>/dev/null
  done
  for job in $JOBS; do
    case $job in
      instant) pack instant instant-teach-count.txt "$newest_stage" ;;
      *) pack "$job" "$job" ;;
    esac
  done
  echo "total $(($(date +%s) - START))s of MINUTES=$MINUTES"
} > "$OUT/summary.txt" 2>&1
grid=$(ls "$R"/paintings-gan/samples/*.png 2>/dev/null | tail -1)
[ -n "$grid" ] && cp "$grid" "$OUT/paintings-gan-samples.png"
for log in "$R"/logs/*.log; do
  echo "=== $(basename "$log")"; grep -v '^\s*$' "$log" | tail -30
done > "$OUT/log.txt"
cat "$OUT/summary.txt"
