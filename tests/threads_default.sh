#!/usr/bin/env bash
# The default thread count and OpenMP's waits on a busy machine: with every core held by another program, the
# default (--threads 0) is one thread; OpenMP's idle workers get a short spin (GOMP_SPINCOUNT) unless the user set
# a wait policy.
set -uo pipefail
gan="$1" data="$2"
if ! ldd "$gan" | grep libgomp >/dev/null; then echo "SKIP gan is built without libgomp (OpenMP)"; exit 77; fi
fail=0
report() { if [ -z "$2" ]; then echo "PASS $1"; else echo "FAIL $1: $2"; fail=1; fi; }

hogs=()
for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
sleep 0.5
json=$("$gan" bench --data "$data" --iterations 2 --warmup 0 --json 2>/dev/null)
kill "${hogs[@]}" 2>/dev/null; wait "${hogs[@]}" 2>/dev/null
[[ "$json" == *'"threads":1,'* ]] && report "every core busy elsewhere: the default is one thread" "" ||
  report "every core busy elsewhere: the default is one thread" "$json"

# The environment the running gan has: GOMP_SPINCOUNT set by gan itself, or the user's policy left alone.
spin_of() {
  env "$@" "$gan" bench --data "$data" --iterations 100000 --warmup 0 >/dev/null 2>&1 & local pid=$!
  sleep 1
  tr '\0' '\n' <"/proc/$pid/environ" | grep -E '^(GOMP_SPINCOUNT|OMP_WAIT_POLICY)=' | sort | tr '\n' ' '
  kill "$pid"; wait "$pid" 2>/dev/null
}
got=$(spin_of -u GOMP_SPINCOUNT -u OMP_WAIT_POLICY)
[[ "$got" == "GOMP_SPINCOUNT=20000 " ]] && report "gan bounds OpenMP's spinning" "" || report "gan bounds OpenMP's spinning" "environment: $got"
got=$(spin_of -u GOMP_SPINCOUNT OMP_WAIT_POLICY=ACTIVE)
[[ "$got" == "OMP_WAIT_POLICY=ACTIVE " ]] && report "the user's wait policy is kept" "" || report "the user's wait policy is kept" "environment: $got"
exit $fail
