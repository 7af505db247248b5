#!/usr/bin/env bash
# `gan` on --device cuda from the command line: train, its log, generate on the GPU and on the CPU from the same
# weights (the same digits up to float rounding), the GPU run's checkpoint continued on the CPU, and a few
# iterations of `gan bench --tf32`. The GPU check's
# cli stage (tests/gpu/check.sh) on a GPU, and ctest's emulated_cuda_cli on the emulated GPU (tests/cuda_emulator).
#
#   bash tests/gpu/cli_round_trip.sh GAN DATA RUN_DIR PNG_DIR ITERATIONS RESUMED_ITERATIONS [BATCH]
#
# Prints a PASS/FAIL line a step; the last line counts the failures, and the exit status is 0 only when none failed.
# Needs python3 (the standard library only). PNG_DIR receives gpu.png and cpu.png, the two devices' digits.
set -uo pipefail
if [ $# -lt 6 ]; then
  sed -n '5p' "$0" | sed 's/^# *//' >&2
  exit 64
fi
GAN=$1 DATA=$2 RUN=$3 PNG_DIR=$4 ITERATIONS=$5 RESUMED=$6 BATCH=${7:-60}
PYTHON=${PYTHON:-python3}
fails=0
rm -rf "$RUN" && mkdir -p "$RUN" "$PNG_DIR" || exit 1
rm -f "$PNG_DIR/gpu.png" "$PNG_DIR/cpu.png"

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
step() {  # step "what" command...: one checked step with its time
  local what=$1; shift
  local t0; t0=$(date +%s.%N)
  echo "--- $what: $*"
  if "$@"; then echo "    PASS $what ($(elapsed "$t0") s)"
  else echo "    FAIL $what (exit $?, $(elapsed "$t0") s)"; fails=$((fails + 1)); fi
}
log_ok() {  # log_ok FILE N: N lines, every d_loss and g_loss finite
  "$PYTHON" - "$1" "$2" <<'PY'
import json, math, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
bad = [r["step"] for r in rows if not all(math.isfinite(r[k]) for k in ("d_loss", "g_loss"))]
last = rows[-1] if rows else {}
print(f"    {sys.argv[1]}: {len(rows)} rows (want {sys.argv[2]}), last step {last.get('step')}: "
      f"d_loss {last.get('d_loss')}, g_loss {last.get('g_loss')}, non-finite at {bad[:5] or 'none'}")
sys.exit(0 if len(rows) == int(sys.argv[2]) and not bad else 1)
PY
}
agree() {  # agree A.npy B.npy: the same generator on both devices, the same digits up to float rounding
  "$PYTHON" - "$1" "$2" <<'PY'
import array, ast, struct, sys
def load(path):  # a little-endian float32 .npy, as gan generate writes it
    with open(path, "rb") as f:
        if f.read(6) != b"\x93NUMPY":
            sys.exit(f"{path}: not a .npy file")
        major = f.read(2)[0]
        size = struct.unpack("<H" if major == 1 else "<I", f.read(2 if major == 1 else 4))[0]
        header = ast.literal_eval(f.read(size).decode("latin1"))
        if header["descr"] != "<f4" or header["fortran_order"]:
            sys.exit(f"{path}: {header} is not C-ordered little-endian float32")
        values = array.array("f")
        values.frombytes(f.read())
        return header["shape"], values
(gs, g), (cs, c) = load(sys.argv[1]), load(sys.argv[2])
d = max(abs(a - b) for a, b in zip(g, c)) if gs == cs and len(g) == len(c) else float("inf")
print(f"    cuda {gs} vs cpu {cs}: max |diff| {d:.3g} (tolerance 1e-3)")
sys.exit(0 if d < 1e-3 else 1)
PY
}

step "train $ITERATIONS iterations on cuda" "$GAN" train --device cuda --iterations "$ITERATIONS" --batch "$BATCH" \
  --data "$DATA" --out "$RUN" -q
ls -l "$RUN" 2>&1 | sed 's/^/    /'
step "cuda run's log: $ITERATIONS finite rows" log_ok "$RUN/log.jsonl" "$ITERATIONS"
step "generate on cuda" "$GAN" generate --weights "$RUN/generator.safetensors" --device cuda \
  --png "$PNG_DIR/gpu.png" --npy "$RUN/gpu.npy"
step "generate on cpu" "$GAN" generate --weights "$RUN/generator.safetensors" --device cpu \
  --png "$PNG_DIR/cpu.png" --npy "$RUN/cpu.npy"
step "cuda and cpu generate the same digits" agree "$RUN/gpu.npy" "$RUN/cpu.npy"
# The cuda run's checkpoint continues on the CPU (the default device).
step "resume on cpu to $RESUMED iterations" "$GAN" train --resume "$RUN/checkpoint.safetensors" \
  --iterations "$RESUMED" --batch "$BATCH" --data "$DATA" --out "$RUN" -q
step "resumed log: $RESUMED finite rows" log_ok "$RUN/log.jsonl" "$RESUMED"
tf32_bench() {  # the bench's JSON line says TF32 was on
  local line
  line=$("$GAN" bench --device cuda --tf32 --iterations 3 --warmup 1 --batch "$BATCH" --data "$DATA" --json) || return 1
  echo "    $line"
  grep -q '"tf32":true' <<<"$line" && grep -q 'TF32 products' <<<"$line"
}
step "bench --tf32 on cuda" tf32_bench
echo "$fails step(s) failed"
[ "$fails" -eq 0 ]
