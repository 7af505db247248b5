// The seed's generator in TF.js, built from the same safetensors file the page loads, and timed: the benchmark's
// reference for "a 64-digit grid" (bench/web_bench.mjs calls window.tfjsBench).
'use strict';

function halfToFloat(h) {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

// name -> {shape, data: Float32Array} from a safetensors file (F32, F16, or I8 whose "<name>_scale" tensor, one
// scale per row, is applied here as the core applies it: weight = value * scale).
function parseSafetensors(buf) {
  const view = new DataView(buf);
  const headerLen = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, headerLen)));
  const out = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = t.data_offsets;
    const bytes = buf.slice(8 + headerLen + begin, 8 + headerLen + end);
    let data;
    if (t.dtype === 'F32') data = new Float32Array(bytes);
    else if (t.dtype === 'F16') data = Float32Array.from(new Uint16Array(bytes), halfToFloat);
    else if (t.dtype === 'I8') data = Float32Array.from(new Int8Array(bytes));
    else throw new Error(`dtype ${t.dtype} not handled by the benchmark`);
    out[name] = { shape: t.shape, data };
  }
  for (const [name, scale] of Object.entries(out)) {
    if (!name.endsWith('_scale')) continue;
    // One scale per slice of the first dimension: a row of a Linear weight, an input channel of a convolution's.
    const w = out[name.slice(0, -'_scale'.length)], cols = w.data.length / w.shape[0];
    for (let r = 0; r < w.shape[0]; ++r)
      for (let c = 0; c < cols; ++c) w.data[r * cols + c] = Math.fround(w.data[r * cols + c] * scale.data[r]);
  }
  return out;
}

// `generate` (z tensor -> images tensor) on the `rows` latent vectors of zFlat, `runs` times after 5 warm-up runs,
// each timed to its pixels in hand; the first digit's pixels, to compare with ours.
async function timeGenerator(generate, zFlat, rows, runs) {
  const z = tf.tensor2d(Float32Array.from(zFlat), [rows, zFlat.length / rows]);
  for (let i = 0; i < 5; ++i) generate(z).dataSync();
  const times = [];
  let pixels = null;
  for (let i = 0; i < runs; ++i) {
    const t0 = performance.now();
    const y = generate(z);
    pixels = y.dataSync();
    times.push(performance.now() - t0);
    y.dispose();
  }
  times.sort((a, b) => a - b);
  return { backend: tf.getBackend(), threads: tf.wasm.getThreadsCount ? tf.wasm.getThreadsCount() : null,
           simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
           multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
           median_ms: times[times.length >> 1], p95_ms: times[Math.floor(times.length * 0.95)],
           first_digit: Array.from(pixels.slice(0, 784)) };
}

window.tfjsBench = async function (weightsUrl, zFlat, rows, runs) {
  tf.wasm.setWasmPaths('/vendor/tfjs-backend-wasm/');
  await tf.setBackend('wasm');
  await tf.ready();
  const t = parseSafetensors(await (await fetch(weightsUrl)).arrayBuffer());
  // PyTorch's Linear stores W as [out, in]; y = x W^T + b, so TF.js gets W^T as its [in, out] matrix.
  const layers = [0, 2, 4, 6].map((i) => {
    const w = t[`main.${i}.weight`], b = t[`main.${i}.bias`];
    return { w: tf.transpose(tf.tensor2d(w.data, w.shape)), b: tf.tensor1d(b.data) };
  });
  const generate = (z) => tf.tidy(() => {
    let h = z;
    layers.forEach((l, k) => {
      const last = k === layers.length - 1;
      // The fused op (product + bias + activation in one XNNPACK call) is TF.js's fastest form of a dense layer.
      h = tf.fused.matMul({ a: h, b: l.w, bias: l.b, activation: last ? 'linear' : 'leakyrelu', leakyreluAlpha: 0.2 });
      if (last) h = tf.tanh(h);
    });
    return h;
  });
  return timeGenerator(generate, zFlat, rows, runs);
};
