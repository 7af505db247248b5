// Starts web/serve.mjs on a free port and Debian's Chromium through playwright-core; shared by the browser tests
// and bench/web_bench.mjs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// bench: also serve the benchmark's pages and TF.js (web/serve.mjs --bench); isolated: false serves without
// COOP/COEP (the page's one-thread mode, as on an ordinary static host).
export async function startServer({ bench = false, isolated = true } = {}) {
  if (!existsSync(`${repo}/build/wasm/site/gan_web.wasm`))
    throw new Error('build/wasm/site has no gan_web.wasm: run scripts/build_web.sh first');
  const proc = spawn(process.execPath, [`${repo}/web/serve.mjs`, '--port', '0', ...(bench ? ['--bench'] : []),
                                             ...(isolated ? [] : ['--no-isolation'])],
                     { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/localhost:\d+\//);
      if (m) resolve(m[0]);
    });
    proc.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
  });
  return { url, stop: () => proc.kill() };
}

// The site served the way most people publish it: an ordinary static server with no COOP/COEP headers (Python's
// http.server, as GitHub Pages or a default nginx would), so the page is not cross-origin isolated.
export async function startStaticServer(site = `${repo}/build/wasm/site`) {
  if (!existsSync(`${site}/gan_web_st.wasm`))
    throw new Error('build/wasm/site has no gan_web_st.wasm: run scripts/build_web.sh first');
  const proc = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', site],
                     { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/port (\d+)/);
      if (m) resolve(`http://localhost:${m[1]}/`);
    });
    proc.on('exit', (code) => reject(new Error(`python3 -m http.server exited with ${code}: ${out}`)));
  });
  return { url, stop: () => proc.kill() };
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}

// Opens the page in a fresh context (cold cache) and records every console error, page error and failed request.
export async function openPage(browser, url, { acceptDownloads = true } = {}) {
  const context = await browser.newContext({ acceptDownloads, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 30000 });
  return { context, page, problems };
}

// The canvas's RGBA pixels (the SDL software renderer draws through a 2D context, so they can be read back).
// Copied through a scratch canvas made for reading, and sent as base64: an array of 2 million numbers is slow.
export async function canvasPixels(page) {
  const { width, height, b64 } = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    const scratch = document.createElement('canvas');
    scratch.width = c.width, scratch.height = c.height;
    const ctx = scratch.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
    return { width: c.width, height: c.height, b64: btoa(bin) };
  });
  return { width, height, data: Buffer.from(b64, 'base64') };
}

// The page's 64 latent vectors for grid seed `seed` (flattened) and its first digit's pixels: the inputs and one
// output that the benchmarks hand to a reference engine (TF.js) to time the same work and compare the digits.
export async function gridLatentsAndFirstDigit(page, seed = 7) {
  return page.evaluate((seed) => {
    gan._gan_set_seed(seed);
    const z = [];
    for (let i = 0; i < 64; ++i) {
      const p = gan._gan_latent(i) >> 2;
      z.push(...gan.HEAPF32.subarray(p, p + 100));
    }
    const p0 = gan._gan_digit(0) >> 2;
    return { z, first_digit: Array.from(gan.HEAPF32.subarray(p0, p0 + 784)) };
  }, seed);
}

// The largest pixel difference between a reference engine's first digit and ours (the same network computes the
// same digits, to float rounding).
export function firstDigitDifference(reference, ours) {
  let difference = 0;
  for (let i = 0; i < 784; ++i) difference = Math.max(difference, Math.abs(reference.first_digit[i] - ours.first_digit[i]));
  return difference;
}
