#!/usr/bin/env bash
# One GPU session's device run: Lab 5 (the 256 x 256 pix2pix reference, L1 alone and L1 + cGAN) and Lab 8
# (MoCoGAN at 64 x 64 and at 32 x 32), four training processes in parallel on the one GPU, each for a fixed WALL
# budget, and a fifth, CPU-only process for Lab 5's grey baselines.
#
#   OUT=/some/folder bash benchmarks/gpu_session.sh              # on the GPU machine (the device tool sets OUT)
#   TINY=1 OUT=/tmp/gpu_smoke bash benchmarks/gpu_session.sh     # smoke test on the CPU: tiny sizes, same code
#
# Budgets (seconds of training steps, wall clock): LAB5_BUDGET (default 150, each model), LAB8_BUDGET (default
# 200, each run). Start-up, data building, the metric points and the final evaluations (CPU-side figures) come on
# top. The processes share the GPU and its machine's 16 CPU cores (4 torch threads per training process, 2 for the
# baselines), so every throughput figure is that of one of four processes sharing one GPU, not of one alone.
#
# Writes at most 8 files under $OUT: log.txt (all processes; lines prefixed by the job), lab5_l1.json (with the
# baselines), lab5_l1cgan.json, lab5.png, lab8_64.json, lab8_64.png, lab8_32.json, lab8_32.png. The JSON files are
# rewritten as each run goes, so a run cut short still leaves its figures so far. Reads nothing outside the repo;
# needs python3 with torch, torchvision, torchmetrics, numpy (no nbformat: the notebooks are read as JSON).
set -u
: "${OUT:?set OUT to the output folder}"
mkdir -p "$OUT"
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
PY=${PYTHON:-python3}
LOG="$OUT/log.txt"
SCRATCH=$(mktemp -d)
LAB5_BUDGET=${LAB5_BUDGET:-150}
LAB8_BUDGET=${LAB8_BUDGET:-200}
SLACK=${SLACK:-200}          # each job is killed after its budget plus this (a hung job must not eat the others')

if [ "${TINY:-0}" = 1 ]; then
  LAB5_BUDGET=${TINY_BUDGET:-5}; LAB8_BUDGET=${TINY_BUDGET:-5}; SLACK=300
  COMMON=(--device cpu --threads 1)
  LAB5=(--size 64 --num-downs 6 --ngf 8 --ndf 8 --batch-size 4 --log-every 2)
  LAB5_BASE=(--size 64 --threads 1)
  LAB8_64=(--ngf 8 --ndf 8 --batch-size 4)
  LAB8_32=(--ngf 8 --ndf 8 --batch-size 4)
  LAB8_DATA=(--n-train 64 --n-eval 20 --n-metric 20 --metric-every 5 --metric-seconds 2)
  export OMP_NUM_THREADS=1
else
  COMMON=(--threads 4)
  LAB5=(--batch-size 16)                                   # size 256, num_downs 8, ngf 64, ndf 64, n_layers 3
  LAB5_BASE=(--threads 2)
  LAB8_64=(--ngf 32 --ndf 32 --batch-size 32)
  LAB8_32=(--ngf 16 --ndf 16 --batch-size 16)              # session 7's CPU recipe (benchmarks/lab8.md)
  LAB8_DATA=(--metric-every 100 --metric-seconds 40)
fi

{
  echo "gpu_session.sh: $(date -u '+%F %T UTC'); TINY=${TINY:-0}; LAB5_BUDGET=$LAB5_BUDGET LAB8_BUDGET=$LAB8_BUDGET"
  uname -a; nproc
  nvidia-smi 2>&1 || echo "nvidia-smi: not available"
  $PY -c "import sys, torch; print('python', sys.version.split()[0], 'torch', torch.__version__, 'cuda', \
torch.version.cuda, 'cudnn', torch.backends.cudnn.version(), 'available', torch.cuda.is_available(), \
torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')"
} 2>&1 | tee -a "$LOG"

job() {   # job NAME SECONDS command...: runs in the background, every output line prefixed and appended to the log
  local name=$1 limit=$2; shift 2
  ( timeout "$limit" "$@" 2>&1; echo "exit status $?" ) | sed -u "s/^/[$name] /" >> "$LOG" &
}

# extra arguments per job (argparse keeps the last value): e.g. LAB8_32_EXTRA="--ngf 32 --ndf 32 --batch-size 64"
read -r -a X5 <<< "${LAB5_EXTRA:-}"; read -r -a X64 <<< "${LAB8_64_EXTRA:-}"; read -r -a X32 <<< "${LAB8_32_EXTRA:-}"
LAB5+=("${X5[@]}"); LAB8_64+=("${X64[@]}"); LAB8_32+=("${X32[@]}")

start=$(date +%s)
# the grey baselines (CPU only, the same held-out crops) beside the training; added to lab5_l1.json at the end
job lab5_base $((LAB5_BUDGET + SLACK)) $PY benchmarks/gpu_lab5.py baselines "${LAB5_BASE[@]}" --json "$SCRATCH/base.json"
pid_base=$!
job lab5_l1 $((LAB5_BUDGET + SLACK)) $PY benchmarks/gpu_lab5.py train --model l1 --budget "$LAB5_BUDGET" \
  "${COMMON[@]}" "${LAB5[@]}" --json "$OUT/lab5_l1.json" --outputs "$SCRATCH/l1.pt"
pid_l1=$!
job lab5_l1cgan $((LAB5_BUDGET + SLACK)) $PY benchmarks/gpu_lab5.py train --model l1+cgan --budget "$LAB5_BUDGET" \
  "${COMMON[@]}" "${LAB5[@]}" --json "$OUT/lab5_l1cgan.json" --outputs "$SCRATCH/l1cgan.pt"
pid_cgan=$!
job lab8_64 $((LAB8_BUDGET + SLACK)) $PY benchmarks/gpu_lab8.py --size 64 --budget "$LAB8_BUDGET" "${COMMON[@]}" \
  "${LAB8_64[@]}" "${LAB8_DATA[@]}" --name lab8_64 --json "$OUT/lab8_64.json" --png "$OUT/lab8_64.png"
job lab8_32 $((LAB8_BUDGET + SLACK)) $PY benchmarks/gpu_lab8.py --size 32 --budget "$LAB8_BUDGET" "${COMMON[@]}" \
  "${LAB8_32[@]}" "${LAB8_DATA[@]}" --name lab8_32 --json "$OUT/lab8_32.json" --png "$OUT/lab8_32.png"

wait "$pid_l1" "$pid_cgan" "$pid_base"
echo "lab5 runs ended after $(( $(date +%s) - start )) s" | tee -a "$LOG"
$PY benchmarks/gpu_lab5.py grid "$SCRATCH/l1.pt" "$SCRATCH/l1cgan.pt" --png "$OUT/lab5.png" \
  --baselines "$SCRATCH/base.json" --into "$OUT/lab5_l1.json" 2>&1 | tee -a "$LOG"
wait
echo "all jobs ended after $(( $(date +%s) - start )) s" | tee -a "$LOG"
# the summary lines of every job, for the caller's output tail
grep -E "\] (\[.*(ready|data:|floor|trained|held-out|done)|baselines|exit status|Traceback|Error)" "$LOG"
rm -rf "$SCRATCH"
ls -la "$OUT"
