#!/usr/bin/env bash
# End-to-end checks of `gan`: training outputs, generation, determinism, resume, and surviving SIGKILL and SIGINT.
# Usage: cli_workflow.sh PATH/TO/gan DATA_DIR
set -u
source "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/cli_helpers.sh"  # wait_for
[[ $# -eq 2 ]] || { echo "usage: $0 GAN_BINARY DATA_DIR" >&2; exit 2; }
GAN=$(realpath "$1")
S=$(mktemp -d)
BG_PID=""
trap '[[ -n $BG_PID ]] && kill -9 "$BG_PID" 2>/dev/null; rm -rf "$S"' EXIT
# 9,000 of the digits (150 steps an epoch at batch 60): dozens of runs read them, and these check behaviour.
python3 "$(dirname "$(realpath "$0")")/subset_mnist.py" "$2" "$S/digits" 9000 1000 || exit 2
DATA=$S/digits
cd "$S" || exit 2
passed=0
failed=0

# t NAME COMMAND...: PASS when COMMAND exits 0, otherwise FAIL with the last line it printed as the reason.
t() {
  local name=$1 output rc
  shift
  output=$("$@" 2>&1)
  rc=$?
  if ((rc == 0)); then
    passed=$((passed + 1)); echo "PASS $name"
  else
    failed=$((failed + 1)); echo "FAIL $name: $(tail -n 1 <<<"${output:-exit code $rc}")"
  fi
}
# rc_is EXPECTED COMMAND...: runs COMMAND, fails with its stderr tail unless it exits with EXPECTED.
rc_is() {
  local want=$1 rc
  shift
  "$@" >/dev/null 2>last.err
  rc=$?
  ((rc == want)) || { echo "exit code $rc, expected $want: $(tail -n 1 last.err)"; return 1; }
}
# One thread: OpenMP slows to a crawl when other tests share the 2 cores. An array, so `"${TRAIN[@]}" &` sets $! to gan.
TRAIN=("$GAN" train --data "$DATA" --batch 60 --seed 3 --threads 1 -q)
train() { "${TRAIN[@]}" "$@"; }
# The training step recorded in a checkpoint's metadata.
step_of() {
  python3 -c 'import json, struct, sys
f = open(sys.argv[1], "rb"); n = struct.unpack("<Q", f.read(8))[0]
print(json.loads(f.read(n))["__metadata__"]["step"])' "$1"
}
# check_npy FILE ROWS COLS: a float32 .npy of that shape with every value in [-1, 1].
check_npy() {
  python3 - "$@" <<'EOF'
import ast, math, struct, sys
path, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
b = open(path, "rb").read()
assert b[:6] == b"\x93NUMPY", "no .npy magic"
n = struct.unpack("<H", b[8:10])[0]
head = ast.literal_eval(b[10:10 + n].decode("latin1"))
assert head["descr"] == "<f4" and not head["fortran_order"], f"header {head}"
assert head["shape"] == (rows, cols), f"shape {head['shape']}, expected {(rows, cols)}"
vals = struct.unpack(f"<{rows * cols}f", b[10 + n:])
bad = [v for v in vals if not (-1.0 <= v <= 1.0)]
assert not bad, f"{len(bad)} values outside [-1, 1], e.g. {bad[0]}"
EOF
}
# check_log FILE STEPS: STEPS lines of JSON with the expected keys and steps 1..STEPS in order.
check_log() {
  python3 - "$@" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == int(sys.argv[2]), f"{len(lines)} lines, expected {sys.argv[2]}"
for i, line in enumerate(lines, 1):
    entry = json.loads(line)
    missing = {"step", "epoch", "d_loss", "g_loss", "d_real", "d_fake"} - set(entry)
    assert not missing, f"line {i} lacks {missing}"
    assert entry["step"] == i, f"line {i} has step {entry['step']}"
EOF
}
is_png() { [[ $(head -c 8 "$1" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || { echo "$1 is not a PNG"; return 1; }; }

# --- Training outputs ---
t "train 40 iterations" rc_is 0 train --iterations 40 --epochs 1 --out A
for f in checkpoint.safetensors log.jsonl samples.png loss.png generator.safetensors; do
  t "A/$f written" test -s "A/$f"
done
t "log.jsonl: 40 JSON lines with step/epoch/d_loss/g_loss/d_real/d_fake" check_log A/log.jsonl 40
t "samples.png and loss.png are PNGs" eval 'is_png A/samples.png && is_png A/loss.png'

# --- Generation ---
G=A/generator.safetensors
t "generate 16 digits" rc_is 0 "$GAN" generate --weights "$G" -n 16 --seed 1 --png g.png --npy g.npy
t "g.png is a PNG" is_png g.png
t "g.npy is (16, 784) float32 in [-1, 1]" check_npy g.npy 16 784
t "generate again with the same seed" rc_is 0 "$GAN" generate --weights "$G" -n 16 --seed 1 --npy g2.npy
t "same seed gives a byte-identical npy" cmp g.npy g2.npy
"$GAN" generate --weights "$G" -n 16 --seed 2 --npy g3.npy 2>/dev/null
t "another seed gives other digits" eval '! cmp -s g.npy g3.npy'
t "convert to 8-bit weights" rc_is 0 "$GAN" convert --weights "$G" --to q8 --out q8.safetensors
t "the 8-bit file is about half of F16's bytes" test "$(stat -c %s q8.safetensors)" -lt "$(($(stat -c %s "$G") * 27 / 100))"
t "generate from the 8-bit file" rc_is 0 "$GAN" generate --weights q8.safetensors -n 16 --seed 1 --npy q8.npy
t "its digits are close to the F32 file's" python3 -c '
import struct, sys
def read(p):
    b = open(p, "rb").read(); n = struct.unpack("<H", b[8:10])[0]
    return struct.unpack("<%df" % ((len(b) - 10 - n) // 4), b[10 + n:])
a, b = read("g.npy"), read("q8.npy")
worst, mean = max(abs(x - y) for x, y in zip(a, b)), sum(abs(x - y) for x, y in zip(a, b)) / len(a)
sys.exit(0 if worst < 0.3 and mean < 0.01 else "moved by %g at most, %g on average" % (worst, mean))'
python3 - <<'EOF'
import struct
h = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 100), }"
h += " " * (63 - (10 + len(h)) % 64) + "\n"
open("z.npy", "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + b"\0" * 1200)
EOF
t "generate from --z zeros (3, 100)" rc_is 0 "$GAN" generate --weights "$G" --z z.npy --png z.png --npy z_out.npy
t "--z gives 3 digits" check_npy z_out.npy 3 784
# The page's "Download latent JSON" file: the same digit as the same vector in a .npy.
python3 - <<'EOF'
import json, struct
z = [((i * 37) % 21 - 10) / 5 for i in range(100)]
json.dump({"generator": "shipped", "seed": 0, "digit": 3, "z": z}, open("latent.json", "w"))
h = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 100), }"
h += " " * (63 - (10 + len(h)) % 64) + "\n"
open("latent.npy", "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + struct.pack("<100f", *z))
EOF
t "generate from the page's latent JSON" rc_is 0 "$GAN" generate --weights "$G" --z latent.json --npy json_out.npy
t "generate from the same vector as .npy" rc_is 0 "$GAN" generate --weights "$G" --z latent.npy --npy npy_out.npy
t "the JSON and the .npy give the same digit" cmp json_out.npy npy_out.npy

# --- Determinism and resume ---
t "second training with the same seed" rc_is 0 train --iterations 40 --epochs 1 --out A2
t "same seed gives a byte-identical generator" cmp A/generator.safetensors A2/generator.safetensors
for run in T1 T2; do "$GAN" train --data "$DATA" --seed 3 --iterations 20 --threads 2 -q --out $run 2>/dev/null; done
t "same seed on 2 threads gives a byte-identical generator" cmp T1/generator.safetensors T2/generator.safetensors
t "train 20 iterations" rc_is 0 train --iterations 20 --out B
t "resume to 40 iterations" rc_is 0 train --resume B/checkpoint.safetensors --iterations 40 --out B
t "20 + resumed 20 equals 40 in one go" cmp A/generator.safetensors B/generator.safetensors
t "resumed log.jsonl has 40 lines" check_log B/log.jsonl 40
t "--force starts a new run over B" rc_is 0 train --iterations 10 --force --out B
t "the new run's log.jsonl has 10 lines" check_log B/log.jsonl 10

# --- Divergence: a NaN loss stops the run with a message and keeps the last good checkpoint (epoch 1, step 150) ---
"$GAN" train --data "$DATA" --seed 3 --threads 1 -q --iterations 400 --inject-nan-at 170 --out N 2>nan.err
t "a NaN loss exits 1" test $? -eq 1
t "the message names the step and the checkpoint" grep -qE 'diverged at step 170.*N/checkpoint.safetensors.*--resume' nan.err
t "the checkpoint kept is the last good one (step 150)" test "$(step_of N/checkpoint.safetensors)" = 150
t "it resumes" rc_is 0 train --resume N/checkpoint.safetensors --iterations 155 --out N

# --- A long epoch still gets a checkpoint every 1,000 steps: at batch 2 an epoch is 4,500 steps ---
"$GAN" train --data "$DATA" --seed 3 --threads 1 -q --batch 2 --iterations 1100 --inject-nan-at 1010 --out LE 2>le.err
t "a run stopped mid-epoch exits 1" test $? -eq 1
t "it names the checkpoint written inside the epoch" grep -qE 'diverged at step 1010.*LE/checkpoint.safetensors' le.err
t "that checkpoint is at step 1000" test "$(step_of LE/checkpoint.safetensors)" = 1000

# --- SIGKILL at random moments leaves a checkpoint that resumes ---
# On the first 1,200 digits an epoch is 20 steps, so checkpoints come several times a second and kills land before,
# during and after their writes (and the test stays quick under AddressSanitizer).
mkdir -p small
python3 - "$DATA" <<'EOF'
import glob, gzip, sys
for kind, head, size in (("images", 16, 784), ("labels", 8, 1)):
    path = glob.glob(f"{sys.argv[1]}/train-{kind}-idx*")[0]
    data = (gzip.open if path.endswith(".gz") else open)(path, "rb").read()
    out = bytearray(data[:head + 1200 * size])
    out[4:8] = (1200).to_bytes(4, "big")
    open(f"small/train-{kind}-idx{3 if kind == 'images' else 1}-ubyte", "wb").write(out)
EOF
TRAIN=("$GAN" train --data small --batch 60 --seed 3 --threads 1 -q)
# Many kills in a row on one run: odd rounds at a random moment, even rounds while a checkpoint is being written
# (the moment its .tmp file appears). Each round resumes the checkpoint the previous kill left.
ROUNDS=${GAN_KILL_ROUNDS:-20}
during_write=0
for ((round = 1; round <= ROUNDS; round++)); do
  touch marker
  if ((round == 1)); then "${TRAIN[@]}" --iterations 100000 --out K 2>/dev/null &
  else "${TRAIN[@]}" --resume K/checkpoint.safetensors --iterations 100000 --out K 2>/dev/null &
  fi
  BG_PID=$!
  if ! wait_for 240 test K/checkpoint.safetensors -nt marker; then
    t "SIGKILL round $round: a checkpoint appears" false
    kill -9 "$BG_PID" 2>/dev/null; wait "$BG_PID" 2>/dev/null; BG_PID=""
    continue
  fi
  if ((round % 2 == 0)); then
    # Spin until the next checkpoint write starts, then kill at once (a 36 MB write takes tens of milliseconds).
    deadline=$((SECONDS + 60))
    while [[ ! -e K/checkpoint.safetensors.tmp ]] && ((SECONDS < deadline)); do :; done
    kill -9 "$BG_PID"
    [[ -e K/checkpoint.safetensors.tmp ]] && during_write=$((during_write + 1))
  else
    sleep "0.$((RANDOM % 10))$((RANDOM % 10))"  # a random moment 0 to 0.99 s later: several epochs on
    kill -9 "$BG_PID"
  fi
  wait "$BG_PID" 2>/dev/null
  killed=$?
  BG_PID=""
  t "SIGKILL round $round: killed while training" test "$killed" -eq 137
  step=$(step_of K/checkpoint.safetensors 2>/dev/null)
  t "SIGKILL round $round: the newest checkpoint reads (step ${step:-?})" test -n "$step"
done
t "SIGKILL: at least a third of the rounds hit a checkpoint write ($during_write of $((ROUNDS / 2)) tries)" \
  test "$during_write" -ge $((ROUNDS / 6))
t "SIGKILL: the last checkpoint resumes to step $((${step:-0} + 5))" \
  rc_is 0 train --resume K/checkpoint.safetensors --iterations $((${step:-0} + 5)) --out K

# --- A full disk (here a file-size limit) fails the checkpoint write with a message and keeps the old one ---
before=$(step_of K/checkpoint.safetensors 2>/dev/null)
(ulimit -f 4096; trap '' XFSZ; exec "${TRAIN[@]}" --resume K/checkpoint.safetensors --iterations 100000 --out K) 2>full.err
rc=$?
t "full disk: exits 1" test "$rc" -eq 1
t "full disk: the message names the file and the reason" grep -qE 'checkpoint.safetensors.*(File too large|No space)' full.err
t "full disk: the previous checkpoint is intact (step ${before:-?})" test "$(step_of K/checkpoint.safetensors)" = "$before"
t "full disk: no temporary file left" test ! -e K/checkpoint.safetensors.tmp

# --- SIGINT saves a checkpoint and exits 130 ---
"${TRAIN[@]}" --iterations 2000 --out I 2>int.err &
BG_PID=$!
wait_for 240 test -s I/samples/epoch_0001.png  # well inside the training loop
kill -INT "$BG_PID"
wait_for 30 eval '! kill -0 "$BG_PID" 2>/dev/null' || kill -9 "$BG_PID"
wait "$BG_PID"
rc=$?
BG_PID=""
t "SIGINT exits 130" test "$rc" -eq 130
t "SIGINT message names the checkpoint" grep -q 'interrupted at step [0-9]*; saved I/checkpoint.safetensors' int.err
step=$(step_of I/checkpoint.safetensors 2>/dev/null)
t "SIGINT checkpoint is at the interrupted step" grep -q "interrupted at step ${step:-x};" int.err
t "SIGINT checkpoint resumes" rc_is 0 train --resume I/checkpoint.safetensors --iterations $((${step:-0} + 5)) --out I

# Defaults that name the project's files (data/mnist, assets/digit-classifier.safetensors) work from any folder.
mkdir -p elsewhere
t "gan eval with its default data and classifier, run from another folder" \
  bash -c "cd elsewhere && '$GAN' eval -w '$(realpath "$G")' -n 20 >/dev/null 2>&1"

echo "$passed passed, $failed failed"
((failed == 0))
