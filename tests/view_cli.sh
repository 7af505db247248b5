#!/usr/bin/env bash
# `gan view` headless: SDL's offscreen driver renders one frame of the native viewer into a PNG, which must hold
# the grid of digits, the highlight around the selected digit and the latent bars; bad inputs fail cleanly.
set -uo pipefail
gan=$1 weights=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi; }

SDL_VIDEODRIVER=offscreen "$gan" view --weights "$weights" --grid 4 --scale 2 --select 5 --screenshot "$tmp/view.png" 2>"$tmp/err"
check "screenshot written (exit 0)" "[ -s $tmp/view.png ]"
/usr/bin/python3 - "$tmp/view.png" <<'PY' || failures=$((failures + 1))
import sys, zlib, struct
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
w, h = struct.unpack('>II', data[16:24])
idat, pos = b'', 8
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    if kind == b'IDAT': idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw, stride, rows, prev = zlib.decompress(idat), w * 3, [], bytearray(w * 3)
for y in range(h):  # undo PNG row filters
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for x in range(stride):
        a = line[x - 3] if x >= 3 else 0; b = prev[x]; c = prev[x - 3] if x >= 3 else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
px = lambda x, y: tuple(rows[y][3 * x:3 * x + 3])
grid = (4 * 29 + 1) * 2
assert h == grid and w > grid + 400, f'size {w}x{h}: expected a {grid}-pixel grid and the latent bars beside it'
# Digit 5 is row 1, column 1: its cell starts at (1 + 29) * 2 = 60; the outline sits in the gap just outside.
assert px(60 + 28, 59) == (255, 159, 28) and px(59, 60 + 28) == (255, 159, 28), 'no highlight around digit 5'
assert px(2 + 28, 1) != (255, 159, 28), 'digit 0 is outlined too'
ink = sum(1 for y in range(grid) for x in range(grid) if px(x, y)[0] > 127 and px(x, y)[0] == px(x, y)[2])
assert 0.03 < ink / grid / grid < 0.4, f'ink covers {ink / grid / grid:.1%} of the grid'
bars = sum(1 for y in range(h) for x in range(grid, w) if px(x, y) == (110, 170, 255))
assert bars > 500, f'only {bars} latent-bar pixels'
print(f'ok: screenshot {w}x{h}, ink {ink / grid / grid:.1%} of the grid, highlight on digit 5, {bars} latent-bar pixels')
PY

SDL_VIDEODRIVER=no-such-driver "$gan" view --weights "$weights" 2>"$tmp/err"; rc=$?
check "no display: exit 1 with advice" "[ $rc -eq 1 ] && grep -q 'SDL_VIDEODRIVER=offscreen' $tmp/err"
SDL_VIDEODRIVER=offscreen "$gan" view --weights "$tmp/missing.safetensors" --screenshot "$tmp/x.png" 2>"$tmp/err"; rc=$?
check "missing weights: exit 1, nothing written" "[ $rc -eq 1 ] && [ ! -e $tmp/x.png ] && grep -q missing.safetensors $tmp/err"
SDL_VIDEODRIVER=offscreen "$gan" view --weights "$weights" --select 99 --screenshot "$tmp/x.png" 2>"$tmp/err"; rc=$?
check "--select outside the grid: exit 1" "[ $rc -eq 1 ] && grep -q 'outside the grid' $tmp/err"
# A window on a driver that shows nothing would wait forever for input: it must stop at once (timeout: the old hang).
SDL_VIDEODRIVER=offscreen timeout 20 "$gan" view --weights "$weights" 2>"$tmp/err"; rc=$?
check "interactive on the offscreen driver: exit 1, not a hang" "[ $rc -eq 1 ] && grep -q 'no display.*--screenshot' $tmp/err"
SDL_VIDEODRIVER=offscreen timeout 20 "$gan" view --weights "$weights" --screenshot "" 2>"$tmp/err"; rc=$?
check "--screenshot '': a usage error, not a hang" "[ $rc -ge 100 ] && [ $rc -le 127 ] && grep -q 'path is empty' $tmp/err"
# No display and no Wayland session: our message first and alone, without libwayland's XDG_RUNTIME_DIR noise.
env -u DISPLAY -u WAYLAND_DISPLAY -u XDG_RUNTIME_DIR -u SDL_VIDEODRIVER timeout 20 "$gan" view --weights "$weights" 2>"$tmp/err"; rc=$?
check "no display: no XDG_RUNTIME_DIR noise, our message first" "[ $rc -eq 1 ] && ! grep -q XDG_RUNTIME_DIR $tmp/err && head -1 $tmp/err | grep -q '^gan: error'"
SDL_VIDEODRIVER=offscreen "$gan" view --weights "$weights" --screenshot "$tmp/shot.jpg" 2>"$tmp/err"; rc=$?
check "--screenshot shot.jpg: refused, it would be a PNG" "[ $rc -eq 1 ] && [ ! -e $tmp/shot.jpg ] && grep -q 'PNG images only' $tmp/err"
echo "view_cli: $failures failure(s)"
[ "$failures" -eq 0 ]
