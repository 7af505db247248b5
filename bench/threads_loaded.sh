#!/usr/bin/env bash
# The thread-count trap on a busy machine: `gan bench` iterations/s with 1 thread, 2 threads and the default
# (--threads 0: the cores other programs leave free), on an idle machine and with another program spinning on one
# core; 2 threads also with waits that sleep at once (OMP_WAIT_POLICY=passive) instead of libgomp's spin-then-sleep.
# Ratios are to one thread in the same condition.
# Usage: bench/threads_loaded.sh [path to gan]   (ITERS=N sets the timed iterations, default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
gan="${1:-build/release/native/gan}"
iters="${ITERS:-300}"

# its POLICY THREADS: "iterations/s threads" of one bench run (THREADS 0: gan's default; POLICY -: libgomp's own).
its() {
  local policy=(env -u OMP_WAIT_POLICY)
  [ "$1" != - ] && policy=(env OMP_WAIT_POLICY="$1")
  "${policy[@]}" "$gan" bench --data data/mnist --iterations "$iters" --warmup 20 --threads "$2" --json 2>/dev/null |
    python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["its_per_s"], j["threads"])'
}

run_case() {
  local one two passive auto auto_threads
  read -r one _ < <(its - 1)
  read -r two _ < <(its - 2)
  read -r passive _ < <(its passive 2)
  read -r auto auto_threads < <(its - 0)
  python3 - "$1" "$one" "$two" "$passive" "$auto" "$auto_threads" <<'PY'
import sys
label, (one, two, passive, auto), t = sys.argv[1], map(float, sys.argv[2:6]), sys.argv[6]
print(f"{label:<14} 1 thread {one:5.1f} it/s | 2 threads {two:5.1f} ({two / one:.2f}x) | 2 threads, passive waits "
      f"{passive:5.1f} ({passive / one:.2f}x) | default: {t} thread(s) {auto:5.1f} ({auto / one:.2f}x)")
PY
}

echo "gan bench: $iters iterations, batch 60, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
run_case "idle"
(while :; do :; done) & hog=$!
trap 'kill $hog 2>/dev/null' EXIT
sleep 0.5
run_case "one core busy"
