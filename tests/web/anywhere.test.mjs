// The page anywhere and in anyone's hands: offline after one visit, on a phone, on a laptop screen, by keyboard
// alone (and an axe audit), shared links (and hostile ones), the latent JSON round trip, and controls that say
// what state the page is in.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { canvasPixels, launchBrowser, openPage, repo, startServer, startStaticServer } from './harness.mjs';

const GAN = process.env.GAN_NATIVE || `${repo}/build/release/native/gan`;
const SIDE = 28, GAP = 1;
let server, staticServer, browser;
before(async () => {
  [server, staticServer] = await Promise.all([startServer(), startStaticServer()]);
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); server?.stop(); staticServer?.stop(); });

const latentOf = (page, i) => page.evaluate((k) => Array.from(gan.HEAPF32.subarray(gan._gan_latent(k) >> 2, (gan._gan_latent(k) >> 2) + 100)), i);
const selectDigit = (page, i) => page.evaluate((k) => { gan._gan_select(k); gan._gan_draw(); }, i);
async function setSlider(page, dim, value) {
  await page.evaluate(({ dim, value }) => {
    const s = document.querySelector(`#sliders input[data-dim="${dim}"]`);
    s.value = value;
    s.dispatchEvent(new Event('input'));
    s.dispatchEvent(new Event('change'));
  }, { dim, value });
}
// Within the window, give or take a pixel of subpixel layout.
const inViewport = (box, viewport) => box && box.y >= -1 && box.x >= -1 && box.y + box.height <= viewport.height + 1 &&
  box.x + box.width <= viewport.width + 1;

test('offline after one visit: a reload with the network off shows the digits and the sliders work', async () => {
  for (const url of [staticServer.url, server.url]) {
    const { page, context, problems } = await openPage(browser, url);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    const before = await canvasPixels(page);
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30000 });
    assert.deepEqual((await canvasPixels(page)).data, before.data, `${url}: offline, the page drew other digits`);
    await setSlider(page, 4, 2.5);
    assert.notDeepEqual((await canvasPixels(page)).data, before.data, `${url}: offline, a slider changed nothing`);
    assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
    await context.close();
  }
});

test('the manifest and its icons make the page installable', async () => {
  const { page, context } = await openPage(browser, staticServer.url);
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector('link[rel=manifest]').href;
    const m = await (await fetch(href)).json();
    const icons = await Promise.all(m.icons.map(async (i) => ({ ...i, ok: (await fetch(new URL(i.src, href))).ok })));
    return { ...m, icons };
  });
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512' && i.ok) && manifest.icons.every((i) => i.ok));
  await context.close();
});

test('a phone (390x844, touch): the grid spans the width, a tap selects, a slider drag keeps the digit in view', async () => {
  const viewport = { width: 390, height: 844 };
  const context = await browser.newContext({ viewport, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(staticServer.url);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  const canvas = await page.locator('#canvas').boundingBox();
  assert.ok(canvas.width >= 0.9 * viewport.width, `the grid is ${canvas.width} px wide on a ${viewport.width} px screen`);
  // Tap digit 9 (row 1, column 1).
  const k = canvas.width / (8 * (SIDE + GAP) + GAP);
  await page.touchscreen.tap(canvas.x + (GAP + 1 * (SIDE + GAP) + 14) * k, canvas.y + (GAP + 1 * (SIDE + GAP) + 14) * k);
  await page.waitForFunction(() => document.getElementById('selected').textContent === '9');
  // Tap a slider far along its track: the value jumps there and digit 9 is redrawn, in view with the slider.
  const slider = page.locator('#sliders input[data-dim="6"]');
  await slider.scrollIntoViewIfNeeded();
  const z6 = (await latentOf(page, 9))[6];
  const box = await slider.boundingBox();
  await page.touchscreen.tap(box.x + box.width * (z6 > 0 ? 0.05 : 0.95), box.y + box.height / 2);
  await page.waitForFunction((v) => Math.abs(gan.HEAPF32[(gan._gan_latent(9) >> 2) + 6] - v) > 1, z6);
  const cell = await page.evaluate(() => {
    const r = document.getElementById('canvas').getBoundingClientRect(), k = r.width / 233;
    return { x: r.x + 30 * k, y: r.y + 30 * k, width: 28 * k, height: 28 * k };
  });
  assert.ok(inViewport(cell, viewport), `the selected digit is off screen: ${JSON.stringify(cell)}`);
  assert.ok(inViewport(await slider.boundingBox(), viewport), 'the slider is off screen');
  // Controls a finger can hit.
  const small = await page.evaluate(() => [...document.querySelectorAll('button, select, input[type=number], .file-button')]
    .filter((e) => e.offsetParent && e.getBoundingClientRect().height < 40).map((e) => e.id || e.textContent.trim()));
  assert.deepEqual(small, []);
  await context.close();
});

test('a laptop screen (1366x657): the grid, its controls and all 100 sliders are in view together', async () => {
  const viewport = { width: 1366, height: 657 };
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  for (const sel of ['#canvas', '#set-seed', '#randomize-all', '#walk', '#reset', '#share', '#download-json',
                     '#sliders input[data-dim="0"]', '#sliders input[data-dim="99"]'])
    assert.ok(inViewport(await page.locator(sel).boundingBox(), viewport), `${sel} is not in view`);
  // The conditional model: the grid is still in view, and a bad file's message appears on screen.
  await page.click('#load-conditional');
  await page.waitForFunction(() => gan._gan_classes() === 10);
  const grid = await page.locator('#canvas').boundingBox();
  assert.ok(inViewport(grid, viewport), `the conditional grid is off screen: ${JSON.stringify(grid)}`);
  assert.match(await page.locator('#grid option:checked').textContent(), /10×8/);
  await page.locator('#file').setInputFiles({ name: 'bad.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('nope') });
  await page.waitForFunction(() => !document.getElementById('error').hidden);
  assert.ok(inViewport(await page.locator('#error').boundingBox(), viewport), 'the error is off screen');
  await context.close();
});

test('a copied link opens the same digits, selection and sliders in a fresh browser', async () => {
  for (const conditional of [false, true]) {
    const { page, context } = await openPage(browser, server.url);
    if (conditional) {
      await page.click('#load-conditional');
      await page.waitForFunction(() => gan._gan_classes() === 10);
    }
    await page.fill('#seed', '42');
    await page.click('#set-seed');
    await selectDigit(page, 13);
    await setSlider(page, 8, -2.35);
    if (conditional) await page.click('#digit-buttons button[data-digit="6"]');
    await page.click('#share');
    await page.waitForFunction(() => location.hash.length > 10);
    const link = await page.evaluate(() => location.href);
    const shown = await canvasPixels(page);
    const z = await latentOf(page, 13);
    await context.close();

    const fresh = await openPage(browser, link);
    assert.equal(await fresh.page.textContent('#selected'), '13');
    assert.deepEqual(await latentOf(fresh.page, 13), z);
    assert.deepEqual((await canvasPixels(fresh.page)).data, shown.data, `conditional ${conditional}: other pixels`);
    assert.equal(await fresh.page.inputValue('#sliders input[data-dim="8"]'), '-2.35');
    if (conditional) assert.equal(await fresh.page.evaluate(() => gan._gan_label(13)), 6);
    assert.deepEqual(fresh.problems, []);
    await fresh.context.close();
  }
});

test('broken links (truncated, wrong length, NaN, huge, unknown, out of range) get a message and the default page', async () => {
  const plain = await openPage(browser, server.url);
  const defaults = (await canvasPixels(plain.page)).data;
  await plain.context.close();
  const z100 = Buffer.alloc(200).toString('base64url');
  const nan = Buffer.from(Array.from({ length: 100 }, () => [0x00, 0x7e]).flat()).toString('base64url');
  const fragments = [`m=s&seed=1&grid=8&d=3&z=${z100.slice(0, 100)}`, `m=s&seed=1&grid=8&d=3&z=${z100}AAAA`,
    `m=s&seed=1&grid=8&d=3&z=${nan}`, `m=s&seed=1&grid=8&d=3&z=${'A'.repeat(5000)}`, 'm=x&seed=1&grid=8&d=3',
    'm=s&seed=-1&grid=8&d=3', 'm=s&seed=1&grid=5&d=3', 'm=s&seed=1&grid=8&d=64', 'm=s&seed=1e3&grid=8&d=3',
    'm=s&seed=1&grid=8&d=3&c=4', 'm=s&seed=1&grid=8&d=3&evil=<script>', '%E0%A4%A', 'm=s&seed=1&grid=8&d=3&z=***'];
  for (const fragment of fragments) {
    const { page, context, problems } = await openPage(browser, `${server.url}#${fragment}`);
    assert.match(await page.textContent('#error'), /The link could not be opened: .+ default digits/, fragment);
    assert.deepEqual((await canvasPixels(page)).data, defaults, `${fragment}: not the default digits`);
    assert.deepEqual(problems, [], fragment);
    await context.close();
  }
});

test('by keyboard alone: Tab and Shift+Tab leave the grid, every control is reached, sliders step sensibly', async () => {
  const { page, context } = await openPage(browser, server.url);
  await page.focus('#canvas');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'canvas', 'Tab stayed on the grid');
  await page.focus('#canvas');
  await page.keyboard.press('Shift+Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'canvas', 'Shift+Tab stayed on the grid');
  await page.focus('#canvas');
  await page.keyboard.press('Escape');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'canvas', 'Escape stayed on the grid');

  // Tab through the whole page from the top: every control is reached.
  await page.evaluate(() => document.activeElement.blur());
  const reached = new Set();
  for (let i = 0; i < 200; ++i) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement.id || document.activeElement.dataset.dim && 'slider'));
  }
  for (const id of ['canvas', 'grid', 'seed', 'set-seed', 'randomize-one', 'randomize-all', 'walk', 'interpolate',
                    'stop', 'reset', 'share', 'download-png', 'download-json', 'load-latent', 'slider',
                    'load-conditional', 'load-dcgan', 'file', 'train-from', 'train-start', 'train-checkpoint'])
    assert.ok(reached.has(id), `Tab never reached #${id}`);

  // Operate by keys: Enter on a button, arrows and Page Up on a slider.
  await page.focus('#randomize-all');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => gan._gan_seed()), 1);
  const slider = page.locator('#sliders input[data-dim="2"]');
  await slider.evaluate((s) => { s.value = 0; s.dispatchEvent(new Event('input')); });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(Number(await slider.inputValue()), 0.05);
  await page.keyboard.press('PageUp');
  assert.ok(Math.abs(Number(await slider.inputValue()) - 0.65) < 1e-9, await slider.inputValue());
  // The focus ring shows.
  assert.notEqual(await slider.evaluate((s) => getComputedStyle(s).outlineStyle), 'none');
  await context.close();
});

test('an axe audit finds nothing serious or critical', async () => {
  const { page, context } = await openPage(browser, server.url);
  await page.addScriptTag({ path: `${repo}/node_modules/axe-core/axe.min.js` });
  const violations = await page.evaluate(async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, []);
  await context.close();
});

test('latent JSON round trip: the page loads what it saved, and gan generate --z draws it', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await selectDigit(page, 5);
  await setSlider(page, 1, 2.2);
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const path = await file.path();
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  await selectDigit(page, 20);
  await page.locator('#load-latent').setInputFiles(path);
  await page.waitForFunction(() => /Loaded .* into digit 20/.test(document.getElementById('status').textContent));
  assert.deepEqual(await latentOf(page, 20), saved.z);
  assert.equal(Number(await page.inputValue('#sliders input[data-dim="1"]')), 2.2);
  // A bad one is refused with a message, the digit unchanged.
  await page.locator('#load-latent').setInputFiles({ name: 'short.json', mimeType: 'application/json', buffer: Buffer.from('{"z": [1, 2]}') });
  await page.waitForFunction(() => /short\.json was not loaded: its "z" holds 2 values/.test(document.getElementById('error').textContent));
  assert.deepEqual(await latentOf(page, 20), saved.z);
  // The native command reads the same file.
  const out = execFileSync(GAN, ['generate', '-w', `${repo}/assets/generator-q8.safetensors`, '--z', path, '--npy',
    `${path}.npy`], { stdio: ['ignore', 'pipe', 'pipe'] });
  assert.ok(readFileSync(`${path}.npy`).length > 784 * 4, out.toString());
  assert.deepEqual(problems, []);
  await context.close();
});

test('controls say the state they are in: Stop, a class row, Reset one digit with Undo, a PNG without the box', async () => {
  const { page, context } = await openPage(browser, server.url);
  await page.click('#interpolate');
  await page.evaluate(() => gan._gan_animate(2));
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Interpolating'));
  await page.click('#stop');
  assert.doesNotMatch(await page.textContent('#status'), /Interpolating/);

  // Reset touches the selected digit only; Undo brings the edit back.
  await selectDigit(page, 3);
  const seeded3 = await latentOf(page, 3);
  await setSlider(page, 0, 2.5);
  await selectDigit(page, 4);
  await setSlider(page, 0, -2.5);
  const edited4 = await latentOf(page, 4);
  await page.click('#reset');
  assert.notDeepEqual(await latentOf(page, 4), edited4);
  assert.equal((await latentOf(page, 3))[0], 2.5, 'Reset also undid digit 3');
  await page.click('#undo');
  assert.deepEqual(await latentOf(page, 4), edited4);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  assert.deepEqual(await latentOf(page, 3), seeded3);

  // The PNG: no orange selection box in it.
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#download-png')]);
  const orange = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width, c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] > 100 && d[i + 1] < 200 && d[i + 2] < 80) ++n;
    return n;
  }, readFileSync(await png.path()).toString('base64'));
  assert.equal(orange, 0, `${orange} orange pixels in the PNG`);

  // A conditional row from one z: the picker follows the selected digit's class.
  await page.click('#load-conditional');
  await page.waitForFunction(() => gan._gan_classes() === 10);
  await selectDigit(page, 13);
  await page.click('#digit-buttons button[data-digit="8"]');
  await page.click('#class-row');
  assert.equal(await page.locator('#digit-buttons button[aria-pressed="true"]').textContent(),
               String(await page.evaluate(() => gan._gan_label(13))));
  await context.close();
});

test('a new build replaces the cached one whole: the next load takes over, never old and new files mixed', async () => {
  // A copy of the site, served as a static host would; "rebuilding" it changes app.js and restamps sw.js.
  const { cpSync, mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const site = mkdtempSync(`${tmpdir()}/gan-site-`);
  cpSync(`${repo}/build/wasm/site`, site, { recursive: true });
  const host = await startStaticServer(site);
  try {
    const { page, context } = await openPage(browser, host.url);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    const build = () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('gan-site-')));
    const [first] = await build();
    writeFileSync(`${site}/app.js`, `${readFileSync(`${site}/app.js`, 'utf8')}\nwindow.ganBuildMarker = 2;\n`);
    execFileSync(process.execPath, [`${repo}/web/stamp_sw.mjs`, `${repo}/web`, site]);
    // The next load finds the new worker, which takes over and reloads the page once, onto the new build.
    await page.reload();
    await page.waitForFunction(() => window.ganBuildMarker === 2 && document.body.dataset.ready === '1', null, { timeout: 30000 });
    const caches = await build();
    assert.equal(caches.length, 1, `caches: ${caches}`);
    assert.notEqual(caches[0], first, 'the old build stayed cached');
    // Offline, the page is the new build.
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => window.ganBuildMarker), 2);
    await context.close();
  } finally {
    host.stop();
  }
});
