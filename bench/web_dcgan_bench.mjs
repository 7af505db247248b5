#!/usr/bin/env node
// The DCGAN in the page, headless Chromium: a slider move to the redrawn digit (one 16-MFLOP generation), and a
// 64-digit grid (back to back, and one per animation frame), with the shipped MLP measured the same way on the same
// page, and two references running the same DCGAN on the same 64 latent vectors in the same browser: TF.js 4.22
// (wasm backend) and ONNX Runtime Web 1.31 (wasm backend; the file exported to ONNX by bench/export_onnx.py). Both
// ways the page is served: cross-origin isolated (2 threads) and not (one thread; the references then run one too).
// Usage: node bench/web_dcgan_bench.mjs [--mode isolated|plain]
import { firstDigitDifference, gridLatentsAndFirstDigit, launchBrowser, openPage, startServer } from '../tests/web/harness.mjs';
import { exportOnnx, ortTimes } from './ort_reference.mjs';

const modeArg = process.argv.indexOf('--mode');
const modes = modeArg > 0 ? [process.argv[modeArg + 1]] : ['isolated', 'plain'];
const pct = (a, p) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];
const onnx = exportOnnx('assets/generator-dcgan-q8.safetensors');

// Slider moves, one per animation frame, each timed from the input event to the canvas holding the new digit; then
// 64-digit grids (new seed: 64 latent vectors, generated and drawn), back to back and one per animation frame.
async function timings(page) {
  const times = await page.evaluate(async () => {
    const slider = (d) => document.querySelectorAll('#sliders input')[d];
    const moves = [];
    for (let i = 0; i < 200; ++i) {
      await new Promise(requestAnimationFrame);
      const s = slider(i % 100);
      const t0 = performance.now();
      s.value = String(((i * 37) % 600) / 100 - 3);
      s.dispatchEvent(new Event('input'));
      moves.push(performance.now() - t0);
    }
    const grids = [];
    for (let i = 0; i < 30; ++i) {
      const t0 = performance.now();
      gan._gan_set_seed(3000 + i);
      gan._gan_draw();
      grids.push(performance.now() - t0);
    }
    const framed = [];
    for (let i = 0; i < 30; ++i) {
      await new Promise(requestAnimationFrame);
      const t0 = performance.now();
      gan._gan_set_seed(4000 + i);
      gan._gan_draw();
      framed.push(performance.now() - t0);
    }
    return { moves, grids, framed };
  });
  return { ...times, ...await gridLatentsAndFirstDigit(page) };
}

// TF.js's DCGAN on the same file and latent vectors: its 64-digit generate time, and the largest pixel difference
// from our first digit (the same network computes the same digits).
async function tfjsGrid(browser, url, ours) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}bench/tfjs.html`);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'ready');
  const tfjs = await page.evaluate(({ z }) => window.tfjsDcganBench('/assets/generator-dcgan-q8.safetensors', z, 64, 30),
    { z: ours.z });
  await context.close();
  return { ...tfjs, difference: firstDigitDifference(tfjs, ours) };
}

const browser = await launchBrowser();
try {
  for (const mode of modes) {
    const server = await startServer({ bench: true, isolated: mode === 'isolated' });
    try {
      const { page, context } = await openPage(browser, server.url);
      const mlp = await timings(page);
      await page.click('#load-dcgan');
      await page.waitForFunction(() => document.getElementById('model-name').textContent.includes('generator-dcgan'));
      const dcgan = await timings(page);
      const tfjs = await tfjsGrid(browser, server.url, dcgan);
      const ort = await ortTimes(browser, server.url, onnx, dcgan, 30);
      const row = (name, t) => `${name.padEnd(6)} slider p50 ${pct(t.moves, 0.5).toFixed(2)} ms, p95 ${pct(t.moves, 0.95).toFixed(2)} ms;` +
        ` 64-digit grid median ${pct(t.grids, 0.5).toFixed(1)} ms`;
      const speedup = tfjs.median_ms / pct(dcgan.grids, 0.5);
      const vsOrt = { back_to_back: ort.grid.back_to_back.median / pct(dcgan.grids, 0.5),
                      per_frame: ort.grid.per_frame.median / pct(dcgan.framed, 0.5) };
      console.log(`${mode} (${await page.textContent('#mode')})`);
      console.log(`  ${row('dcgan', dcgan)}   (goal: slider p95 < 4 ms)`);
      console.log(`  ${row('mlp', mlp)}`);
      console.log(`  TF.js 4.22 dcgan 64-digit generate ${tfjs.median_ms.toFixed(1)} ms (wasm, SIMD ${tfjs.simd}, ` +
        `threads ${tfjs.threads}): ours ${speedup.toFixed(2)}x faster, generate + draw against generate only ` +
        `(goal >= 1.5x); max pixel difference ${tfjs.difference.toExponential(1)}`);
      console.log(`  ORT Web 1.31 dcgan 64-digit generate ${ort.grid.back_to_back.median.toFixed(1)} ms back to back, ` +
        `${ort.grid.per_frame.median.toFixed(1)} ms one a frame (${ort.threads} thread${ort.threads > 1 ? 's' : ''}); ours ` +
        `${pct(dcgan.framed, 0.5).toFixed(1)} ms one a frame: ours over ORT ${vsOrt.back_to_back.toFixed(2)}x back to back, ` +
        `${vsOrt.per_frame.toFixed(2)}x one a frame (ORT's time / ours; goal >= 1.5x both)`);
      console.log(`  ORT Web dcgan one digit: one a frame p95 ${ort.one_digit.per_frame.p95.toFixed(2)} ms against our ` +
        `slider p95 ${pct(dcgan.moves, 0.95).toFixed(2)} ms (goal: no slower); max pixel difference ` +
        `${ort.difference.toExponential(1)}`);
      console.log(JSON.stringify({ mode, dcgan_slider_p95_ms: pct(dcgan.moves, 0.95), dcgan_grid64_ms: pct(dcgan.grids, 0.5),
        mlp_slider_p95_ms: pct(mlp.moves, 0.95), mlp_grid64_ms: pct(mlp.grids, 0.5), tfjs_dcgan_grid64_ms: tfjs.median_ms,
        tfjs_threads: tfjs.threads, speedup_vs_tfjs: speedup, max_pixel_difference: tfjs.difference,
        dcgan_grid64_per_frame_ms: pct(dcgan.framed, 0.5), ort_threads: ort.threads, ort_grid64_ms: ort.grid,
        ort_one_digit_ms: ort.one_digit, speedup_vs_ort: vsOrt, ort_max_pixel_difference: ort.difference }));
      await context.close();
    } finally {
      server.stop();
    }
  }
} finally {
  await browser.close();
}
