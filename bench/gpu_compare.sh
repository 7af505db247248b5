#!/usr/bin/env bash
# GPU side-by-side: the seed's GAN in PyTorch eager on CUDA (bench/pytorch_bench.py --device cuda: everything on the
# GPU, TF32 off) against `gan bench --device cuda`, batch 60 and 512, same data, in one run; then the seed's full
# schedule (100,000 iterations at batch 60) with gan. Prints iterations/s, the ratios and the goal lines:
#   batch 60: Nx PyTorch eager (goal >= 10x): PASS/FAIL
#   100,000 iterations in S s (goal < 30 s): PASS/FAIL
# Then, when the budget leaves time, one more round at batch 60 with TF32 products on both sides (PyTorch's
# fp32_precision "tf32", `gan bench --tf32`), reported on a line starting "tf32:" (no goal: a second reading).
# Usage: bash bench/gpu_compare.sh [BUILD_DIR]     (default build/gpu; needs a GPU, data/mnist and a CUDA PyTorch)
# Environment: PYTHON (default python3), PT_ITERS (2000), PT_WARMUP (100), GAN_ITERS (20000 at batch 60, GAN_ITERS_512 10000 at 512),
#   ROUNDS (2), FULL_ITERS (100000), FULL_LIMIT_S (120: the full run is skipped when the short runs predict more),
#   TF32_ROUND (1; 0 skips it),
#   COMPARE_BUDGET_S (unset: none): seconds this whole script may take; the full run then also has to fit in what
#   is left of it (tests/gpu/check.sh sets it from its deadline).
# PyTorch is timed two ways, both eager: reading both losses with .item() every step as the seed does (one host sync
# per step), and leaving them on the GPU; the ratio is taken against the faster. Exit status 1 when a measurement
# could not be made (goal misses alone exit 0: the lines say FAIL).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
exec 2>&1  # one stream: the goal lines and errors land wherever stdout is logged
build=${1:-build/gpu}
gan=$build/native/gan
py=${PYTHON:-python3}
pt_iters=${PT_ITERS:-2000}
pt_warmup=${PT_WARMUP:-100}
gan_iters=${GAN_ITERS:-20000}
gan_iters_512=${GAN_ITERS_512:-10000}
rounds=${ROUNDS:-2}
full_iters=${FULL_ITERS:-100000}
full_limit=${FULL_LIMIT_S:-120}
data=data/mnist
status=0
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

echo "date: $(date -u +'%F %T UTC')"
echo "gpu: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1 || echo 'nvidia-smi failed or missing')"
echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
[ -x "$gan" ] || { echo "gpu_compare: $gan is not built: PyTorch only"; status=1; }
[ -s "$data/train-images-idx3-ubyte.gz" ] || [ -s "$data/train-images-idx3-ubyte" ] ||
  { echo "gpu_compare: no MNIST images in $data"; exit 1; }

results=$(mktemp)
pt_out=$(mktemp)
trap 'rm -f "$results" "$pt_out"' EXIT

# One PyTorch run: pytorch_bench LIMIT_S BATCHES [EXTRA ARGS]; its JSON lines go to $results. LIMIT_S 0: no limit.
pytorch_bench() {
  local limit=$1 batches=$2 rc; shift 2
  PYTHONUNBUFFERED=1 timeout -k 5 "$limit" "$py" bench/pytorch_bench.py --device cuda --data "$data" \
    --batch "$batches" --iters "$pt_iters" --warmup "$pt_warmup" --losses both --json "$@" 2>&1 |
    sed 's/^/    /' | tee "$pt_out"
  rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ] || ! grep -o '{.*}' "$pt_out" >>"$results"; then
    echo "gpu_compare: pytorch_bench.py --batch $batches${*:+ $*} failed (exit $rc)"; status=1
  fi
}
# One gan run: gan_bench LIMIT_S BATCH ITERATIONS [EXTRA ARGS]; its JSON line goes to $results.
gan_bench() {
  local limit=$1 b=$2 n=$3 line rc; shift 3
  line=$(timeout -k 5 "$limit" "$gan" bench --device cuda --batch "$b" --iterations "$n" --warmup 200 --json \
         --data "$data" "$@" 2>&1)
  rc=$?
  echo "$line" | sed 's/^/    /'
  if [ "$rc" -ne 0 ] || ! grep '^{' <<<"$line" >>"$results"; then
    echo "gpu_compare: gan bench --batch $b${*:+ $*} failed (exit $rc)"; status=1
  fi
}

# Rounds interleave the two programs, so a slow moment of the machine hits both alike; the best of each is kept.
for round in $(seq "$rounds"); do
  echo "--- round $round"
  t0=$SECONDS
  pytorch_bench 0 60,512
  echo "    (PyTorch round: $((SECONDS - t0)) s with start-up)"
  if [ -x "$gan" ]; then
    gan_bench 0 60 "$gan_iters"
    gan_bench 0 512 "$gan_iters_512"
  fi
done

# Best of the rounds, ratios, and the batch-60 rate that predicts the full run's time.
pred=$("$py" bench/gpu_compare_report.py best "$results")
[ -n "$pred" ] || { echo "gpu_compare: could not read the results"; status=1; pred=0; }

# The seed's full schedule: 100,000 iterations at batch 60.
if [ -n "${COMPARE_BUDGET_S:-}" ]; then
  left=$((COMPARE_BUDGET_S - SECONDS - 10))
  [ "$left" -lt "$full_limit" ] && { full_limit=$left; echo "(the full run may take ${full_limit} s: what is left of COMPARE_BUDGET_S=${COMPARE_BUDGET_S})"; }
fi
if [ -x "$gan" ]; then
  est=$(awk -v r="$pred" -v n="$full_iters" 'BEGIN { if (r > 0) printf "%.0f", n / r; else print -1 }')
  if [ "$est" -lt 0 ]; then
    echo "$(commas "$full_iters") iterations not timed: no batch-60 rate (goal < 30 s): FAIL"
  elif [ "$est" -gt "$full_limit" ]; then
    echo "$(commas "$full_iters") iterations predicted at ${est} s from the short runs; not run (limit ${full_limit} s) (goal < 30 s): FAIL"
  else
    echo "--- full schedule: $gan bench --device cuda --batch 60 --iterations $full_iters --warmup 100 --json (predicted ${est} s)"
    t0=$(date +%s.%N)
    line=$(timeout -k 5 $((full_limit + 5)) "$gan" bench --device cuda --batch 60 --iterations "$full_iters" --warmup 100 \
           --json --data "$data" 2>&1)
    rc=$?
    wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    echo "$line" | sed 's/^/    /'
    secs=$(grep '^{' <<<"$line" | tail -1 | "$py" -c 'import json, sys; print(json.load(sys.stdin)["seconds"])' 2>/dev/null)
    if [ "$rc" -ne 0 ] || [ -z "$secs" ]; then
      echo "gpu_compare: the full run failed (exit $rc)"; status=1
      echo "$(commas "$full_iters") iterations: no time (goal < 30 s): FAIL"
    else
      verdict=$(awk -v s="$secs" 'BEGIN { print (s < 30 ? "PASS" : "FAIL") }')
      echo "    timed loop ${secs} s; the whole command ${wall} s (start-up, data loading, 100 warm-up iterations)"
      echo "$(commas "$full_iters") iterations in $(printf '%.1f' "$secs") s (goal < 30 s): $verdict"
    fi
  fi
fi

# A second reading with TF32 products on both sides, at batch 60, if the budget leaves a minute for it.
left=$(( ${COMPARE_BUDGET_S:-100000} - SECONDS ))
if [ "${TF32_ROUND:-1}" != 0 ] && [ -x "$gan" ] && [ "$left" -ge 60 ]; then
  echo "--- TF32 round, batch 60 ($left s of the budget left)"
  each=$(( (left - 10) / 2 ))  # each side gets half of what is left, so the stage's own timeout never hits
  keep=$status  # a second reading: a failure here shows on the tf32: line, not in the exit status
  pytorch_bench "$each" 60 --tf32
  gan_bench "$each" 60 "$gan_iters" --tf32
  status=$keep
  "$py" bench/gpu_compare_report.py tf32 "$results" "$full_iters"
fi
exit $status
