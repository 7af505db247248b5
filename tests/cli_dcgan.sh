#!/usr/bin/env bash
# The DCGAN through every native command: train (and resume exactly), generate, eval, convert to 8-bit, bench,
# view; and the refusals a user meets (--digit on an unconditional file, --device cuda, a damaged file).
# Usage: cli_dcgan.sh PATH/TO/gan DATA_DIR CLASSIFIER
set -euo pipefail
source "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/cli_helpers.sh"
[[ $# -eq 3 ]] || { echo "usage: $0 GAN_BINARY DATA_DIR CLASSIFIER" >&2; exit 2; }
GAN=$(realpath "$1"); DATA=$(realpath "$2"); CLS=$(realpath "$3")
S=$(mktemp -d)
trap 'rm -rf "$S"' EXIT
cd "$S"

# One run of 6 steps against 4 + 2 resumed: the same generator, byte for byte. The thread count is pinned: by
# default each run takes the cores other programs leave free (ctest runs two tests at once), and with Eigen's
# products (the asan build) a run's numbers depend on its thread count (oneDNN's do not: test_gemm_engines.cpp).
"$GAN" train --arch dcgan --data "$DATA" --iterations 6 --ema 0.9 --threads 2 -q --out whole 2>/dev/null
"$GAN" train --arch dcgan --data "$DATA" --iterations 4 --ema 0.9 --threads 2 -q --out half 2>/dev/null
"$GAN" train --data "$DATA" --iterations 6 --threads 2 -q --resume half/checkpoint.safetensors --out half 2>/dev/null
cmp -s whole/generator.safetensors half/generator.safetensors && pass "a resumed DCGAN run equals an unbroken one" \
  || fail "the resumed DCGAN run differs"
refuses "a resumed run keeps its architecture" "differs from" \
  "$GAN" train --arch seed --data "$DATA" --iterations 8 -q --resume half/checkpoint.safetensors --out half

"$GAN" generate -w whole/generator.safetensors -n 16 --png g.png --npy g.npy 2>/dev/null
[[ -s g.png && -s g.npy ]] && pass "gan generate draws a DCGAN file" || fail "no output from gan generate"
"$GAN" convert -w whole/generator.safetensors --to q8 -o q8.safetensors 2>convert.txt
grep -q "moved by at most 0.0" convert.txt && pass "8-bit conversion moves the digits by less than 0.1" \
  || fail "8-bit conversion: $(cat convert.txt)"
[[ $(stat -c %s q8.safetensors) -lt $(( $(stat -c %s whole/generator.safetensors) * 3 / 10 )) ]] \
  && pass "the 8-bit file is under 30% of F32" || fail "the 8-bit file is too large"
"$GAN" eval -w q8.safetensors --data "$DATA" --classifier "$CLS" --count 200 --json > eval.jsonl
[[ $(wc -l < eval.jsonl) -ge 2 ]] && pass "gan eval scores a DCGAN file" || fail "gan eval wrote no rows"
"$GAN" bench --arch dcgan --data "$DATA" --iterations 2 --warmup 1 --json | grep -q '"arch":"dcgan"' \
  && pass "gan bench --arch dcgan" || fail "gan bench --arch dcgan"
if "$GAN" view --help >/dev/null 2>&1; then
  # The picture is the check, not the exit code: under the asan preset LeakSanitizer reports SDL's own allocations
  # at exit (tests/view_cli.sh checks the same way).
  SDL_VIDEODRIVER=offscreen "$GAN" view -w q8.safetensors --screenshot view.png 2>/dev/null || true
  [[ -s view.png ]] && pass "gan view opens a DCGAN file" || fail "gan view wrote no screenshot"
fi

"$GAN" train --arch conditional-dcgan --data "$DATA" --iterations 3 -q --out cond 2>/dev/null
"$GAN" generate -w cond/generator.safetensors --digit 3 -n 4 --png threes.png 2>/dev/null
[[ -s threes.png ]] && pass "a conditional DCGAN trains and draws the digit asked for" || fail "conditional DCGAN"
refuses "a class beyond the conditional DCGAN's" "draws 0..9" "$GAN" generate -w cond/generator.safetensors --digit 12 --png x.png
refuses "--digit on an unconditional DCGAN" "not class-conditional" "$GAN" generate -w q8.safetensors --digit 3 --png d.png
# Refused before the data is read (a folder that does not exist would otherwise be the error). A build without the
# CUDA backend (the asan preset) refuses --device cuda itself, with its own message.
refuses "--device cuda trains the MLPs only" "error: --device cuda" \
  "$GAN" train --arch dcgan --device cuda --data no-such-folder --iterations 1 --out cu
refuses "bench --device cuda times the MLPs only" "error: --device cuda" \
  "$GAN" bench --arch dcgan --device cuda --data no-such-folder --iterations 1
python3 - q8.safetensors bad.safetensors <<'PY'
import json, struct, sys
d = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', d[:8])[0]
h = json.loads(d[8:8 + n])
h['__metadata__']['architecture'] = 'resnet-gan'
b = json.dumps(h).encode()
b += b' ' * (-len(b) % 8)
open(sys.argv[2], 'wb').write(struct.pack('<Q', len(b)) + b + d[8 + n:])
PY
refuses "an unknown architecture in a file" "dcgan-gan" "$GAN" generate -w bad.safetensors --png b.png
[[ ! -e b.png ]] && pass "nothing written for a refused file" || fail "b.png was written"

# SIGINT while the DCGAN trains (its products in oneDNN's SGEMM where the build has it), three times at other
# moments: each run saves its checkpoint and exits 130, and the checkpoint resumes. A signal handler that ran on a
# computing thread once made this abort with a corrupted heap (native/stop_signals.h; the mechanism is checked in
# tests/test_stop_signals.cpp).
for wait in 1 2 3; do
  rm -rf int
  "$GAN" train --arch dcgan --data "$DATA" --iterations 100000 -q --out int 2>int.err &
  pid=$!
  wait_for 60 test -e int/log.jsonl || fail "the DCGAN run wrote no log.jsonl within 60 s"
  sleep "$wait"
  kill -INT "$pid"
  rc=0
  wait "$pid" || rc=$?
  [[ $rc -eq 130 ]] && grep -q "interrupted at step" int.err || fail "SIGINT after $wait s: exit $rc, $(tail -1 int.err)"
done
pass "SIGINT during DCGAN training saves and exits 130 (three times)"
step=$(grep -o 'interrupted at step [0-9]*' int.err | grep -o '[0-9]*$')
"$GAN" train --data "$DATA" --resume int/checkpoint.safetensors --iterations $((step + 2)) -q --out int 2>/dev/null \
  && pass "the interrupted run resumes" || fail "the interrupted run does not resume"
