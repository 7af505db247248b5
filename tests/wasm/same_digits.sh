#!/usr/bin/env bash
# The same seed gives the same digits natively and in wasm: 64 digits from the shipped weights, drawn by the page's
# path in wasm (LatentGrid and its SIMD kernels) and by the native `gan generate` (the Eigen reference), compared
# pixel by pixel. Usage: same_digits.sh GAN NODE WASM_JS WEIGHTS [MAX_DIFFERENCE [MEAN_DIFFERENCE]].
# Float layers: tolerance 2e-5 (pixels span [-1, 1]; about 6e-6 was seen): the two sum the matrix products in
# different orders (AVX-512 FMA against 128-bit wasm SIMD); the latent vectors themselves are bit-identical.
# 8-bit layers (the MLP's and the DCGAN's) round each layer's inputs to 16 bits in the page (src/quantized_panels.h)
# while the reference multiplies floats: 1.3e-3 (MLP) and 1.6e-3 (DCGAN) at most and under 2e-5 on average were
# seen, so q8 files are checked at 4e-3 and 1e-4 on average (a grey level is 7.8e-3), and the integer sums
# themselves bit for bit by the core's tests.
set -euo pipefail
gan=$1 node=$2 wasm_js=$3 weights=$4 max_tol=${5:-2e-5} mean_tol=${6:-2e-5}
if [ ! -x "$gan" ]; then echo "SKIP: no native gan at $gan (build the release preset first)"; exit 77; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gan" generate --weights "$weights" --seed 5 -n 64 --npy "$tmp/native.npy" 2>/dev/null
"$node" --no-experimental-fetch "$wasm_js" "$weights" 5 64 "$tmp/wasm.npy"
"$node" - "$tmp/native.npy" "$tmp/wasm.npy" "$max_tol" "$mean_tol" <<'JS'
const fs = require('fs');
const load = (p) => {
  const b = fs.readFileSync(p);
  const headerLen = b.readUInt16LE(8);
  const data = b.subarray(10 + headerLen);
  return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
};
const [a, b] = [load(process.argv[2]), load(process.argv[3])];
if (a.length !== b.length || a.length !== 64 * 784) { console.log(`FAIL: sizes ${a.length} and ${b.length}`); process.exit(1); }
const [maxTol, meanTol] = [Number(process.argv[4]), Number(process.argv[5])];
let worst = 0, sum = 0;
for (let i = 0; i < a.length; ++i) {
  const d = Math.abs(a[i] - b[i]);
  worst = Math.max(worst, d);
  sum += d;
}
const mean = sum / a.length;
const ok = worst <= maxTol && mean <= meanTol;
console.log(`${ok ? 'ok' : 'FAIL'}: 64 digits, pixel difference native vs wasm largest ${worst.toExponential(2)} ` +
  `(tolerance ${maxTol}), mean ${mean.toExponential(2)} (tolerance ${meanTol})`);
process.exit(ok ? 0 : 1);
JS
