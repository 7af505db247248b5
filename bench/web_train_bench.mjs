#!/usr/bin/env node
// Browser training speed in headless Chromium, against the goals of the browser-training issue: iterations/s at
// batch 60 in the page's worker, against TF.js 4.22 (wasm backend) training the same model in the same browser,
// and against our native trainer on one thread (`gan bench --threads 1`), all in one run. Also the page's main
// thread frame rate while the worker trains. --arch dcgan measures the DCGAN the same way (goal: 5x TF.js).
// Usage: node bench/web_train_bench.mjs [--seconds S] [--rounds N] [--arch seed|dcgan]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { launchBrowser, openPage, repo, startServer } from '../tests/web/harness.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const seconds = arg('--seconds', 15), rounds = arg('--rounds', 2);
const arch = process.argv.includes('--arch') ? process.argv[process.argv.indexOf('--arch') + 1] : 'seed';
if (!['seed', 'dcgan'].includes(arch)) throw new Error('--arch is seed or dcgan');
const goal = arch === 'dcgan' ? 5 : 10;  // ours / TF.js
const GAN = process.env.GAN_NATIVE || `${repo}/build/release/native/gan`;
if (!existsSync(GAN)) throw new Error(`no native gan at ${GAN}: build the release preset first`);

// Frames the page's main thread draws in `ms`: count and 95th-percentile interval.
const frames = (page, ms) => page.evaluate((ms) => new Promise((resolve) => {
  const times = [];
  const tick = (t) => {
    times.push(t);
    if (t - times[0] < ms) requestAnimationFrame(tick);
    else {
      const gaps = times.slice(1).map((x, i) => x - times[i]).sort((a, b) => a - b);
      resolve({ fps: (times.length - 1) / ((t - times[0]) / 1000), p95_ms: gaps[Math.floor(gaps.length * 0.95)] });
    }
  };
  requestAnimationFrame(tick);
}), ms);

async function ours(browser, url) {
  const { page, context } = await openPage(browser, url);
  const idle = await frames(page, 2000);
  if (arch === 'dcgan') await page.selectOption('#train-from', 'dcgan');
  await page.fill('#train-steps', '1000000');
  await page.click('#train-start');  // samples every 50 steps, as the page's default
  await page.waitForFunction(() => window.ganTraining.info && window.ganTraining.info.step >= 20, null, { timeout: 120000 });
  const s0 = await page.evaluate(() => [performance.now(), window.ganTraining.info.step]);
  const busy = await frames(page, seconds * 1000);
  const s1 = await page.evaluate(() => [performance.now(), window.ganTraining.info.step]);
  await page.click('#train-pause');
  await context.close();
  return { itPerSec: (s1[1] - s0[1]) / ((s1[0] - s0[0]) / 1000), steps: s1[1] - s0[1], idle, busy };
}

// TF.js training the same model: on its wasm backend, or for the DCGAN (which that backend cannot train: it has no
// Conv2DBackpropFilter kernel) on whichever of its CPU and WebGL backends is faster here.
async function tfjs(browser, url) {
  const runs = [];
  for (const backend of arch === 'dcgan' ? ['cpu', 'webgl'] : ['wasm']) {
    const { page, context } = await openPage(browser, url);
    await page.goto(`${url}bench/tfjs.html`);
    runs.push(await page.evaluate(({ seconds, arch, backend }) =>
      window.tfjsTrainBench('/data/train-images-idx3-ubyte.gz', 60, 3, seconds, arch, backend), { seconds, arch, backend }));
    await context.close();
  }
  const best = runs.reduce((a, b) => (b.itPerSec > a.itPerSec ? b : a));
  best.others = runs.filter((r) => r !== best).map((r) => `${r.backend} ${r.itPerSec.toFixed(3)} it/s`).join(', ');
  return best;
}

function native() {
  const iterations = arch === 'dcgan' ? '60' : '300';
  const out = execFileSync(GAN, ['bench', '--arch', arch, '--threads', '1', '--iterations', iterations, '--json', '--data',
                                 `${repo}/data/mnist`]);
  return JSON.parse(out.toString().trim().split('\n').pop());
}

const server = await startServer({ bench: true });
const browser = await launchBrowser();
try {
  const results = [];
  for (let r = 0; r < rounds; ++r) {
    const o = await ours(browser, server.url);
    const t = await tfjs(browser, server.url);
    const n = native();
    results.push({ ours: o, tfjs: t, native1: n });
    console.log(`round ${r + 1}: ours ${o.itPerSec.toFixed(2)} it/s (${o.steps} steps), TF.js ${t.itPerSec.toFixed(2)} it/s ` +
                `(${t.backend} backend, ${t.steps} steps, ${t.threads ?? '?'} threads, SIMD ${t.simd}${t.others ? `; ${t.others}` : ''}), native 1 thread ${n.its_per_s.toFixed(1)} it/s; ` +
                `main thread ${o.idle.fps.toFixed(0)} fps idle (p95 ${o.idle.p95_ms.toFixed(1)} ms), ` +
                `${o.busy.fps.toFixed(0)} fps training (p95 ${o.busy.p95_ms.toFixed(1)} ms)`);
  }
  const best = (f) => Math.max(...results.map(f));
  const oursBest = best((x) => x.ours.itPerSec), tfBest = best((x) => x.tfjs.itPerSec), natBest = best((x) => x.native1.its_per_s);
  console.log(`\n${arch}, best of ${rounds}: ours ${oursBest.toFixed(2)} it/s, TF.js ${tfBest.toFixed(2)} it/s, native 1 thread ${natBest.toFixed(1)} it/s`);
  console.log(`ours / TF.js = ${(oursBest / tfBest).toFixed(1)}x (goal >= ${goal}x)`);
  console.log(`ours / native 1 thread = ${(100 * oursBest / natBest).toFixed(0)}%${arch === 'seed' ? ' (goal >= 30%)' : ''}`);
  console.log(JSON.stringify({ arch, seconds, rounds, results }));
} finally {
  await browser.close();
  server.stop();
}
