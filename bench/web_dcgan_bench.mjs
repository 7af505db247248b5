#!/usr/bin/env node
// The DCGAN in the page, headless Chromium: a slider move to the redrawn digit (one 15-MFLOP generation), and a
// 64-digit grid, with the shipped MLP measured the same way on the same page as the reference. Both ways the page
// is served: cross-origin isolated (2 threads) and not (one thread).
// Usage: node bench/web_dcgan_bench.mjs [--mode isolated|plain]
import { launchBrowser, openPage, startServer } from '../tests/web/harness.mjs';

const modeArg = process.argv.indexOf('--mode');
const modes = modeArg > 0 ? [process.argv[modeArg + 1]] : ['isolated', 'plain'];
const pct = (a, p) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];

// Slider moves, one per animation frame, each timed from the input event to the canvas holding the new digit; then
// 64-digit grids (new seed: 64 latent vectors, generated and drawn).
async function timings(page) {
  return page.evaluate(async () => {
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
    return { moves, grids };
  });
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
      const row = (name, t) => `${name.padEnd(6)} slider p50 ${pct(t.moves, 0.5).toFixed(2)} ms, p95 ${pct(t.moves, 0.95).toFixed(2)} ms;` +
        ` 64-digit grid median ${pct(t.grids, 0.5).toFixed(1)} ms`;
      console.log(`${mode} (${await page.textContent('#mode')})`);
      console.log(`  ${row('dcgan', dcgan)}   (goal: slider p95 < 4 ms)`);
      console.log(`  ${row('mlp', mlp)}`);
      console.log(JSON.stringify({ mode, dcgan_slider_p95_ms: pct(dcgan.moves, 0.95), dcgan_grid64_ms: pct(dcgan.grids, 0.5),
        mlp_slider_p95_ms: pct(mlp.moves, 0.95), mlp_grid64_ms: pct(mlp.grids, 0.5) }));
      await context.close();
    } finally {
      server.stop();
    }
  }
} finally {
  await browser.close();
}
