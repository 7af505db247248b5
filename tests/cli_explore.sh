#!/usr/bin/env bash
# `gan invert` and `gan directions` as a user meets them. invert: a drawing (dark ink on a large white canvas, off centre) is found and redrawn by
# `gan generate --z`; the generator's own digits from a .npy are found closely; a conditional generator keeps each
# digit's class in JSON; pictures without a usable digit are refused with one line and nothing is written.
# directions: fitted, written as the sidecar with what each does, refused where the output cannot be.
# Usage: cli_explore.sh PATH/TO/gan ASSETS_DIR
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 GAN_BINARY ASSETS_DIR" >&2; exit 2; }
GAN=$(realpath "$1"); ASSETS=$(realpath "$2")
G=$ASSETS/generator-f16.safetensors
source "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/cli_helpers.sh"
S=$(mktemp -d)
trap 'rm -rf "$S"' EXIT
cd "$S"
# A refusal that also leaves no out.npy behind.
refuses_writing_nothing() {
  refuses "$@"
  [[ ! -e out.npy ]] || fail "$1: out.npy was written"
}

# Test pictures, written with Python's standard library only.
python3 - <<'PY'
import struct, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
def png(path, rows, colour, extra=b'', size=None):
    h, w = len(rows), len(rows[0]) // (3 if colour else 1)
    raw = b''.join(b'\0' + bytes(r) for r in rows)
    ihdr = struct.pack('>IIBBBBB', *(size or (w, h)), 8, 2 if colour else 0, 0, 0, 0)
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + extra + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
W, H = 600, 400
canvas = [[255] * (3 * W) for _ in range(H)]
def ink(x, y):
    canvas[y][3 * x:3 * x + 3] = [20, 20, 90]
for y in range(48, 73):          # a "7": the top bar ...
    for x in range(300, 480): ink(x, y)
for y in range(60, 340):         # ... and the diagonal
    c = int(480 - (y - 60) * 0.5)
    for x in range(c - 12, c + 12): ink(x, y)
png('seven.png', canvas, True)
png('white.png', [[255] * 50 for _ in range(50)], False)
png('tiny.png', [[0]], False)
png('animated.png', [[0] * 30 for _ in range(30)], False, chunk(b'acTL', struct.pack('>II', 2, 0)))
png('huge.png', [[0] * 10 for _ in range(10)], False, size=(20000, 20000))
open('not-a-picture.png', 'w').write('hello')
PY

"$GAN" invert -w "$G" --image seven.png --out seven.npy --png seven-found.png --restarts 4 --steps 200 > seven.txt 2>/dev/null
grep -Eq '^digit 0: error 0\.0[0-4]' seven.txt && pass "a drawing of a 7 is found ($(cat seven.txt))" \
  || fail "the drawing's error: $(cat seven.txt)"
[[ -s seven-found.png ]] && pass "--png shows the target beside the digit found" || fail "no --png"
"$GAN" generate -w "$G" --z seven.npy --npy redrawn.npy --png redrawn.png 2>/dev/null
[[ -s redrawn.npy ]] && pass "gan generate --z redraws what gan invert found" || fail "gan generate --z failed"

# The generator's own digits, from a .npy: found within 0.005 (mean squared, pixels in [-1, 1]).
"$GAN" generate -w "$G" -n 4 --seed 9 --npy own.npy 2>/dev/null
"$GAN" invert -w "$G" --image own.npy --out own-z.npy --restarts 4 --steps 300 --lr 0.1 > own.txt 2>/dev/null
[[ $(grep -c '^digit' own.txt) -eq 4 ]] || fail "expected 4 digits: $(cat own.txt)"
awk '{ if ($4 + 0 >= 0.005) bad = 1 } END { exit bad }' own.txt && pass "the generator's own digits are found" \
  || fail "own digits: $(cat own.txt)"

# A conditional generator: the classes go to JSON, which gan generate reads back.
refuses_writing_nothing "a conditional generator needs --out .json" "name --out .json" \
  "$GAN" invert -w "$ASSETS/generator-conditional-q8.safetensors" --image seven.png --out out.npy
"$GAN" invert -w "$ASSETS/generator-conditional-q8.safetensors" --image seven.png --out c.json --restarts 1 --steps 50 \
  > c.txt 2>/dev/null
grep -q '"class":\[' c.json && grep -q 'class' c.txt && pass "a conditional generator's class is kept ($(cat c.txt))" \
  || fail "conditional: $(cat c.txt)"
"$GAN" generate -w "$ASSETS/generator-conditional-q8.safetensors" --z c.json --png c.png 2>/dev/null \
  && pass "gan generate reads the classes back" || fail "gan generate --z c.json"

refuses_writing_nothing "an all-white picture" "no digit" "$GAN" invert -w "$G" --image white.png --out out.npy
refuses_writing_nothing "a 1x1 picture" "too small" "$GAN" invert -w "$G" --image tiny.png --out out.npy
refuses_writing_nothing "an animated PNG" "animated PNG" "$GAN" invert -w "$G" --image animated.png --out out.npy
refuses_writing_nothing "a 20,000 x 20,000 picture" "too large" "$GAN" invert -w "$G" --image huge.png --out out.npy
refuses_writing_nothing "a file that is not a picture" "not a picture" "$GAN" invert -w "$G" --image not-a-picture.png --out out.npy
refuses_writing_nothing "a missing picture" "missing.png" "$GAN" invert -w "$G" --image missing.png --out out.npy
refuses_writing_nothing ".npy digits of the wrong shape" "(N, 784)" "$GAN" invert -w "$G" --image seven.npy --out out.npy
refuses_writing_nothing "an output that is not .npy or .json" "name it .npy" "$GAN" invert -w "$G" --image seven.png --out out.txt
refuses_writing_nothing "--out over the picture" "same file" "$GAN" invert -w "$G" --image own.npy --out own.npy
refuses_writing_nothing "--restarts 0" "restarts" "$GAN" invert -w "$G" --image seven.png --out out.npy --restarts 0
refuses_writing_nothing "--lr 0" "lr" "$GAN" invert -w "$G" --image seven.png --out out.npy --lr 0
refuses_writing_nothing "--lr nan" "lr" "$GAN" invert -w "$G" --image seven.png --out out.npy --lr nan

"$GAN" directions -w "$G" --classifier "$ASSETS/digit-classifier.safetensors" --count 500 --check-count 200 \
  --out dirs.json --png strips.png > dirs.txt 2>/dev/null
for name in ink slant width height; do
  grep -Eq "^$name +\+[0-9]" dirs.txt || fail "$name: +2 along it should increase it: $(cat dirs.txt)"
done
pass "each named direction increases its attribute ($(tr '\n' ';' < dirs.txt))"
grep -q '"format": "gan-directions"' dirs.json && [[ -s strips.png ]] && pass "the sidecar and the strips are written" \
  || fail "no sidecar or strips"
refuses_writing_nothing "directions --out that is not .json" "name the directions file .json" \
  "$GAN" directions -w "$G" --out out.npy
refuses_writing_nothing "directions without a classifier" "no digit classifier" \
  "$GAN" directions -w "$G" --classifier missing.safetensors --out out.json
echo "all gan invert and gan directions checks passed"
