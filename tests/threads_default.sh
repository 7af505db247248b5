#!/usr/bin/env bash
# The default thread count on a busy machine: with every core held by another program, the default (--threads 0)
# is one thread (2 threads ran at half the speed of one there).
set -uo pipefail
gan="$1" data="$2"
fail=0
report() { if [ -z "$2" ]; then echo "PASS $1"; else echo "FAIL $1: $2"; fail=1; fi; }

hogs=()
for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
sleep 0.5
json=$("$gan" bench --data "$data" --iterations 2 --warmup 0 --json 2>/dev/null)
kill "${hogs[@]}" 2>/dev/null; wait "${hogs[@]}" 2>/dev/null
[[ "$json" == *'"threads":1,'* ]] && report "every core busy elsewhere: the default is one thread" "" ||
  report "every core busy elsewhere: the default is one thread" "$json"

exit $fail
