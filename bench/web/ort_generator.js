// ONNX Runtime Web (wasm backend: SIMD, 2 threads when the page is cross-origin isolated) running our generator
// exported by bench/export_onnx.py: the benchmark's stronger reference (bench/web_bench.mjs calls window.ortBench).
'use strict';

const nextFrame = () => new Promise(requestAnimationFrame);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const p95 = (a) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * 0.95))];

// `run` timed `runs` times after 5 warm-up runs: back to back, and one per animation frame (as a click or a slider
// move arrives after the page sat idle for the rest of the frame); with `pauses`, also that many times after 600 ms
// of idle (as a click after a pause), the first left out.
async function timeBothWays(run, runs, pauses = 0) {
  for (let i = 0; i < 5; ++i) await run();
  const backToBack = [], perFrame = [];
  for (let i = 0; i < runs; ++i) {
    const t0 = performance.now();
    await run();
    backToBack.push(performance.now() - t0);
  }
  for (let i = 0; i < runs; ++i) {
    await nextFrame();
    const t0 = performance.now();
    await run();
    perFrame.push(performance.now() - t0);
  }
  const afterPause = [];
  for (let i = 0; i < pauses; ++i) {
    await new Promise((resolve) => setTimeout(resolve, 600));
    await nextFrame();
    const t0 = performance.now();
    await run();
    afterPause.push(performance.now() - t0);
  }
  afterPause.shift();
  return { back_to_back: { median: median(backToBack), p95: p95(backToBack) },
           per_frame: { median: median(perFrame), p95: p95(perFrame) },
           ...(pauses ? { after_pause: { median: median(afterPause), p95: p95(afterPause) } } : {}) };
}

// The grid (`rows` latent vectors of zFlat) and one digit (the first vector), each generated to its pixels in hand.
window.ortBench = async function (onnxUrl, zFlat, rows, runs) {
  ort.env.wasm.wasmPaths = '/vendor/ort/';
  ort.env.wasm.numThreads = self.crossOriginIsolated ? 2 : 1;
  const session = await ort.InferenceSession.create(onnxUrl, { executionProviders: ['wasm'],
                                                               graphOptimizationLevel: 'all' });
  const zDim = zFlat.length / rows;
  const grid = { z: new ort.Tensor('float32', Float32Array.from(zFlat), [rows, zDim]) };
  const one = { z: new ort.Tensor('float32', Float32Array.from(zFlat.slice(0, zDim)), [1, zDim]) };
  let pixels = null;
  const gridTimes = await timeBothWays(async () => { pixels = (await session.run(grid)).digits.data; }, runs, 16);
  const oneTimes = await timeBothWays(async () => (await session.run(one)).digits.data, runs * 3);
  return { version: ort.env.versions ? ort.env.versions.web : null, threads: ort.env.wasm.numThreads,
           grid: gridTimes, one_digit: oneTimes, first_digit: Array.from(pixels.slice(0, 784)) };
};
