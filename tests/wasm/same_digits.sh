#!/usr/bin/env bash
# The same seed gives the same digits natively and in wasm: 64 digits from the shipped weights, drawn by the page's
# path in wasm (LatentGrid and its SIMD kernels) and by the native `gan generate` (the Eigen reference), compared
# pixel by pixel. Tolerance 2e-5 (pixels span [-1, 1]; about 6e-6 was seen): the two sum the matrix products in
# different orders (AVX-512 FMA against 128-bit wasm SIMD); the latent vectors themselves are bit-identical.
set -euo pipefail
gan=$1 node=$2 wasm_js=$3 weights=$4
if [ ! -x "$gan" ]; then echo "SKIP: no native gan at $gan (build the release preset first)"; exit 77; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gan" generate --weights "$weights" --seed 5 -n 64 --npy "$tmp/native.npy" 2>/dev/null
"$node" --no-experimental-fetch "$wasm_js" "$weights" 5 64 "$tmp/wasm.npy"
"$node" - "$tmp/native.npy" "$tmp/wasm.npy" <<'JS'
const fs = require('fs');
const load = (p) => {
  const b = fs.readFileSync(p);
  const headerLen = b.readUInt16LE(8);
  const data = b.subarray(10 + headerLen);
  return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
};
const [a, b] = [load(process.argv[2]), load(process.argv[3])];
if (a.length !== b.length || a.length !== 64 * 784) { console.log(`FAIL: sizes ${a.length} and ${b.length}`); process.exit(1); }
let worst = 0;
for (let i = 0; i < a.length; ++i) worst = Math.max(worst, Math.abs(a[i] - b[i]));
const ok = worst <= 2e-5;
console.log(`${ok ? 'ok' : 'FAIL'}: 64 digits, largest pixel difference native vs wasm ${worst.toExponential(2)} (tolerance 2e-5)`);
process.exit(ok ? 0 : 1);
JS
