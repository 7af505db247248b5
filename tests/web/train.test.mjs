// Training in the browser end to end: the worker trains, the charts and the sample grid follow, pause and resume,
// the viewer keeps working, files go to and from the native `gan`, the first losses equal gan train's, and bad
// checkpoints or a diverged run leave the last good state.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { canvasPixels, launchBrowser, openPage, repo, startServer } from './harness.mjs';

const GAN = process.env.GAN_NATIVE || `${repo}/build/release/native/gan`;
const DATA = `${repo}/data/mnist`;
const tmp = mkdtempSync(join(tmpdir(), 'gan-train-test-'));
let server, browser;

before(async () => {
  if (!existsSync(GAN)) throw new Error(`no native gan at ${GAN}: build the release preset first (or set GAN_NATIVE)`);
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); server?.stop(); });

const gan = (...args) => execFileSync(GAN, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
// gan train on the Eigen products, the reference the page's wasm kernel is tested against (not oneDNN's).
const ganOnEigen = (...args) => execFileSync(GAN, args, { stdio: ['ignore', 'pipe', 'pipe'],
                                                          env: { ...process.env, GAN_GEMM: 'eigen' } });
const nativeLog = (dir) => readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

async function settings(page, values) {
  for (const [k, v] of Object.entries(values)) await page.fill(`#train-${k}`, String(v));
}
const training = (page) => page.evaluate(() => ({ ...window.ganTraining.info, running: window.ganTraining.running,
  samplesVersion: window.ganTraining.samplesVersion, history: window.ganTraining.history }));
const untilStep = (page, step) => page.waitForFunction((s) => window.ganTraining.info && window.ganTraining.info.step >= s,
  step, { timeout: 120000 });
const untilStopped = (page) => page.waitForFunction(() => !window.ganTraining.running, null, { timeout: 120000 });

// A canvas's RGBA pixels, read through a scratch canvas made for reading (reading the page's own canvases would
// make Chromium warn about repeated readbacks).
const readCanvas = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id), scratch = document.createElement('canvas');
  scratch.width = c.width, scratch.height = c.height;
  const ctx = scratch.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(c, 0, 0);
  return { width: c.width, height: c.height, data: Array.from(ctx.getImageData(0, 0, c.width, c.height).data) };
}, id);

const samplePixels = async (page) => (await readCanvas(page, 'train-samples')).data;

// Pixels of a chart's plot area in a series colour (the legend sits above the plot, at y < 18).
async function seriesPixels(page, id, [r, g, b]) {
  const { width, height, data } = await readCanvas(page, id);
  let n = 0;
  for (let y = 18; y < height - 16; ++y)
    for (let x = 38; x < width - 8; ++x) {
      const i = (y * width + x) * 4;
      if (Math.abs(data[i] - r) < 40 && Math.abs(data[i + 1] - g) < 40 && Math.abs(data[i + 2] - b) < 40) ++n;
    }
  return n;
}

async function download(page, button, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const path = join(tmp, name);
  await file.saveAs(path);
  return path;
}

// "Use in viewer": the viewer then shows the model being trained.
async function useInViewer(page) {
  await page.click('#train-use');
  await page.waitForFunction(() => document.getElementById('model-name').textContent.includes('trained in this tab'));
}

// A generator file from the page draws a PNG with native `gan generate`.
function generatesNatively(weights) {
  const png = weights.replace(/\.safetensors$/, '.png');
  gan('generate', '--weights', weights, '--count', '16', '--png', png);
  assert.deepEqual([...readFileSync(png).subarray(1, 4)], [0x50, 0x4e, 0x47]);
}

// Losses and D outputs of the browser against gan train's log (6 printed digits). Tolerance: 1e-4 relative for
// the first 10 steps. Measured on the MLP: at most 5e-6 (the log's own rounding) through step 20; after that the
// different summation orders of the wasm kernel and Eigen's AVX-512 products grow as a GAN amplifies them (1e-3 by
// step 27). The DCGAN amplifies them from its first steps: Adam's first updates move each weight by about the
// learning rate whatever its gradient's size, so a gradient near zero whose sign depends on the summation order
// moves a weight by a full step, and D's hidden layer has 6.4 M of them. Its g_loss at step 3 differed by 4e-4
// from native gan train on oneDNN and by 9e-5 from native on Eigen (batch 16, seed 4), where step 2 agreed with
// Eigen to 4e-6: so the DCGAN is held to its first 2 steps.
function assertSameSteps(browserSteps, native, first, last) {
  for (let s = first; s <= last; ++s) {
    const b = browserSteps.find((r) => r.step === s), n = native.find((r) => r.step === s);
    assert.ok(b && n, `step ${s} missing (browser ${!!b}, native ${!!n})`);
    for (const k of ['d_loss', 'g_loss', 'd_real', 'd_fake'])
      assert.ok(Math.abs(b[k] - n[k]) <= 1e-4 * Math.abs(n[k]), `step ${s} ${k}: browser ${b[k]}, native ${n[k]}`);
  }
}

test('trains in a worker: charts and samples follow, pause and resume, the viewer stays live, files load natively', async () => {
  const { page, problems, context } = await openPage(browser, server.url);
  await settings(page, { steps: 100000, 'sample-every': 5 });
  await page.click('#train-start');
  await page.waitForFunction(() => window.ganTraining.samplesVersion >= 1, null, { timeout: 60000 });
  const first = await samplePixels(page);
  await untilStep(page, 12);

  // While it trains, the viewer answers: a slider move changes the selected digit.
  const before = await canvasPixels(page);
  await page.evaluate(() => {
    const s = document.querySelector('#sliders input[data-dim="3"]');
    s.value = Number(s.value) > 0 ? -2.5 : 2.5;
    s.dispatchEvent(new Event('input'));
  });
  assert.notDeepEqual((await canvasPixels(page)).data, before.data, 'a slider move during training changed nothing');
  assert.equal((await training(page)).running, true);

  await page.click('#train-pause');
  await untilStopped(page);
  const paused = await training(page);
  await page.waitForTimeout(700);
  assert.equal((await training(page)).step, paused.step, 'training went on while paused');
  assert.ok(paused.history.length >= 12 && paused.history.every((r, i) => r.step === i + 1), 'one record per step');
  assert.ok(paused.history.every((r) => Number.isFinite(r.d_loss) && Number.isFinite(r.g_loss)));

  // Plotted: every step is a point, and each series' colour is in its chart's plot area.
  await page.waitForFunction((n) => Number(document.getElementById('train-losses').dataset.points) === n,
    paused.history.length);
  assert.ok(await seriesPixels(page, 'train-losses', [31, 119, 180]) > 50, 'no D loss line');
  assert.ok(await seriesPixels(page, 'train-losses', [255, 127, 14]) > 50, 'no G loss line');
  assert.ok(await seriesPixels(page, 'train-outputs', [44, 160, 44]) > 50, 'no D(x) line');
  assert.match(await page.textContent('#train-estimate'), /it\/s: blurry digits in about \d+ (s|min)/);
  assert.ok(paused.samplesVersion >= 3, `the sample grid was redrawn ${paused.samplesVersion} times`);
  assert.notDeepEqual(await samplePixels(page), first, 'the samples did not change with training');
  assert.match(await page.textContent('#train-rate'), /\d+(\.\d)? it\/s/);

  await page.click('#train-resume');
  await untilStep(page, paused.step + 3);
  await page.click('#train-pause');
  await untilStopped(page);

  // The generator, in the viewer and natively.
  await useInViewer(page);
  generatesNatively(await download(page, '#train-download-generator', 'browser-generator.safetensors'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the 60,000 digits are fetched when training starts, with a progress bar, and come from the cache next time', async () => {
  const { page, problems, context } = await openPage(browser, server.url);
  assert.equal(await page.evaluate(() => window.ganTraining.downloads.length), 0, 'the digits were fetched on load');
  await settings(page, { steps: 1 });
  await page.click('#train-start');
  await untilStep(page, 1);
  const first = await page.evaluate(() => ({ ...window.ganTraining }));
  const bytes = statSync(`${repo}/build/wasm/site/data/train-images-idx3-ubyte.gz`).size;
  assert.equal(first.images, 60000);
  assert.equal(first.digitsCached, false);
  assert.ok(first.downloads.length >= 1 && first.downloads.every((d) => !d.cached && d.loaded <= d.total));
  assert.deepEqual(first.downloads.at(-1), { loaded: bytes, total: bytes, cached: false });
  assert.equal(await page.isHidden('#train-download'), true, 'the progress bar stayed after the download');

  // A second visit in the same browser: the worker finds the digits in Cache Storage.
  const again = await context.newPage();
  await again.goto(server.url);
  await again.waitForFunction(() => document.body.dataset.ready);
  await settings(again, { steps: 1 });
  await again.click('#train-start');
  await untilStep(again, 1);
  const second = await again.evaluate(() => ({ ...window.ganTraining }));
  assert.equal(second.digitsCached, true);
  assert.equal(second.images, 60000);
  assert.ok(second.downloads.every((d) => d.cached), 'the second visit downloaded the digits again');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the first steps give the losses gan train gives for the same seed and settings', async () => {
  const dir = join(tmp, 'native-same');
  gan('train', '--data', DATA, '--out', dir, '--seed', '3', '--batch', '50', '--lr', '0.0003', '--iterations', '10', '--quiet');
  const { page, problems, context } = await openPage(browser, server.url);
  await settings(page, { seed: 3, batch: 50, lr: 0.0003, steps: 10 });
  await page.click('#train-start');
  await untilStep(page, 10);
  await untilStopped(page);
  assertSameSteps((await training(page)).history, nativeLog(dir), 1, 10);
  assert.deepEqual(problems, []);
  await context.close();
});

// A new run of `arch` from scratch in the page, `steps` steps with gan train's settings; checks its steps against
// `gan train --arch` with the same settings and returns the page's run.
async function sameStepsAsNative(page, arch, { seed, batch, steps }) {
  const dir = join(tmp, `native-${arch}`);
  ganOnEigen('train', '--arch', arch, '--data', DATA, '--out', dir, '--seed', String(seed), '--batch',
    String(batch), '--iterations', String(steps), '--quiet');
  await page.selectOption('#train-from', arch);
  await settings(page, { seed, batch, steps, 'sample-every': 1 });
  await page.click('#train-start');
  await untilStep(page, steps);
  await untilStopped(page);
  const run = await training(page);
  assert.equal(run.arch, arch);
  assertSameSteps(run.history, nativeLog(dir), 1, steps);
  await page.waitForFunction((s) => window.ganTraining.samplesStep === s, steps);
  return run;
}

// Discards the run, shows the shipped model of button `load` (file `file`) in the viewer and trains on from it.
async function trainOnFromViewer(page, load, file, steps) {
  await page.click('#train-reset');
  await page.click(load);
  await page.waitForFunction((f) => document.getElementById('model-name').textContent.includes(f), file);
  await page.selectOption('#train-from', 'viewer');
  await settings(page, { steps });
  await page.click('#train-start');
  await untilStep(page, steps);
  await untilStopped(page);
  await page.waitForFunction((s) => window.ganTraining.samplesStep === s, steps);
  return training(page);
}

test('the DCGAN trains in the page: from scratch as gan train --arch dcgan does, and on from the viewer\'s DCGAN', async () => {
  const { page, problems, context } = await openPage(browser, server.url);
  await sameStepsAsNative(page, 'dcgan', { seed: 4, batch: 16, steps: 2 });

  // On from the shipped DCGAN in the viewer: its generator's weights, a fresh D; the samples are its digits.
  assert.equal((await trainOnFromViewer(page, '#load-dcgan', 'generator-dcgan-q8', 2)).arch, 'dcgan');
  await useInViewer(page);
  assert.match(await page.textContent('#model-info'), /convolutional GAN \(DCGAN\)/);
  generatesNatively(await download(page, '#train-download-generator', 'browser-dcgan.safetensors'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the class-conditional MLP trains in the page on the labels: as gan train --arch conditional does, a column per class', async () => {
  const { page, problems, context } = await openPage(browser, server.url);
  await sameStepsAsNative(page, 'conditional', { seed: 6, batch: 30, steps: 4 });
  const grid = await readCanvas(page, 'train-samples');
  assert.deepEqual([grid.width, grid.height], [10 * 28 + 11, 5 * 28 + 6], 'not 5 rows of the 10 classes');

  // On from the shipped conditional generator in the viewer.
  assert.equal((await trainOnFromViewer(page, '#load-conditional', 'generator-conditional-q8', 1)).arch, 'conditional');
  assert.deepEqual(problems, []);
  await context.close();
});

test('checkpoints go both ways: the browser continues gan train, gan train continues the browser', async () => {
  // Native: 6 steps (the checkpoint) and, for reference, the same run to 9 steps.
  const six = join(tmp, 'native-6'), nine = join(tmp, 'native-9');
  const args = ['--data', DATA, '--seed', '5', '--batch', '40', '--lr', '0.0004', '--quiet'];
  gan('train', ...args, '--out', six, '--iterations', '6');
  gan('train', ...args, '--out', nine, '--iterations', '9');

  const { page, problems, context } = await openPage(browser, server.url);
  await page.setInputFiles('#train-checkpoint', join(six, 'checkpoint.safetensors'));
  await page.waitForFunction(() => window.ganTraining.info && window.ganTraining.info.step === 6);
  assert.equal(await page.inputValue('#train-batch'), '40', 'the checkpoint\'s settings are shown');
  for (let i = 0; i < 3; ++i) {
    await page.click('#train-step');
    await untilStep(page, 7 + i);
    await untilStopped(page);
  }
  assertSameSteps((await training(page)).history, nativeLog(nine), 7, 9);

  // And back: gan train resumes the browser's checkpoint at step 9.
  const checkpoint = await download(page, '#train-download-checkpoint', 'browser-checkpoint.safetensors');
  const resumed = join(tmp, 'native-resumed');
  gan('train', ...args, '--out', resumed, '--resume', checkpoint, '--iterations', '11');
  const log = nativeLog(resumed);
  assert.deepEqual(log.map((r) => r.step), [10, 11]);
  gan('train', ...args, '--out', nine, '--resume', join(nine, 'checkpoint.safetensors'), '--iterations', '11');
  assertSameSteps(log, nativeLog(nine), 10, 11);
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad settings, wrong files and a diverged run get a message and keep the last good state', async () => {
  const { page, problems, context } = await openPage(browser, server.url);
  await settings(page, { lr: 0 });
  await page.click('#train-start');
  await page.waitForSelector('#train-error:not([hidden])');
  assert.match(await page.textContent('#train-error'), /learning rate/);
  assert.equal((await training(page)).step, undefined, 'no run started');

  await settings(page, { lr: 0.0002, steps: 4, seed: 8 });
  await page.click('#train-start');
  await untilStep(page, 4);
  await untilStopped(page);

  // Files that are not checkpoints: refused with a message, the run unchanged.
  const files = {
    'generator.safetensors': readFileSync(`${repo}/assets/generator-f16.safetensors`),
    'corrupt.safetensors': Buffer.from('\x20\x00\x00\x00\x00\x00\x00\x00{"a":{"dtype":"F32","shape":[9,9]'),
    'digits.png': readFileSync(`${repo}/assets/generator-f16-samples.png`),
  };
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(tmp, name);
    writeFileSync(path, bytes);
    await page.evaluate(() => { document.getElementById('train-error').hidden = true; });
    await page.setInputFiles('#train-checkpoint', path);
    await page.waitForSelector('#train-error:not([hidden])');
    const message = await page.textContent('#train-error');
    assert.match(message, new RegExp(`${name.replace('.', '\\.')} was not loaded: .+The current run is unchanged`), message);
    assert.equal((await training(page)).step, 4);
  }

  // A run that diverges at step 7 goes back to its last good state (the start: snapshots are every 100 steps).
  await page.evaluate(() => window.ganTraining.injectNanAt(7));
  await settings(page, { steps: 10 });
  await page.click('#train-resume');
  await page.waitForFunction(() => /diverged at step 7/.test(document.getElementById('train-error').textContent),
    null, { timeout: 60000 });
  await untilStopped(page);
  const state = await training(page);
  assert.equal(state.step, 0);
  assert.equal(state.last_good_step, 0);
  assert.deepEqual(state.history, [], 'the chart keeps only steps up to the state training is back at');
  // It trains on from there.
  await page.click('#train-resume');
  await untilStep(page, 3);
  await page.click('#train-pause');
  await untilStopped(page);
  assert.deepEqual(problems, []);
  await context.close();
});
