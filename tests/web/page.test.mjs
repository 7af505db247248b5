// The page end to end in headless Chromium: it loads and draws digits, the sliders edit only the selected digit,
// bad files are refused without breaking anything, downloads work, and the console stays clean.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { canvasPixels, launchBrowser, openPage, repo, startServer } from './harness.mjs';

// The page's 8x8 grid: digits of 28 pixels with a 1-pixel gap (see view/grid_layout.h), drawn at digit resolution
// into the canvas, which CSS shows 3 times larger.
const SCALE = 1, GAP = 1, SIDE = 28, CSS_SCALE = 3;
const cell = (i) => ({ x: (GAP + (i % 8) * (SIDE + GAP)) * SCALE, y: (GAP + Math.floor(i / 8) * (SIDE + GAP)) * SCALE });

// One digit back at 28x28 grey from the canvas (the centre of each 3x3 block).
function digitAt(px, i) {
  const { x, y } = cell(i);
  const out = new Float64Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; ++r)
    for (let c = 0; c < SIDE; ++c) out[r * SIDE + c] = px.data[((y + r * SCALE) * px.width + x + c * SCALE) * 4];
  return out;
}

// What makes an image digit-like, as checked here:
//  - ink (grey > 127) covers 3-45% of the image: not blank, not a filled square;
//  - the 3-pixel frame is dark (mean < 60): strokes sit in the middle like MNIST's centred digits;
//  - ink is connected: at least 55% of ink pixels have ink on 3 or 4 of their neighbours. Noise of the same density
//    scores about density^3 (under 10% at 45% ink), while pen strokes 2-4 pixels wide score 70-90%.
function digitLike(d) {
  let ink = 0, frame = 0, frameN = 0, solid = 0;
  for (let r = 0; r < SIDE; ++r)
    for (let c = 0; c < SIDE; ++c) {
      const v = d[r * SIDE + c];
      if (r < 3 || c < 3 || r >= SIDE - 3 || c >= SIDE - 3) { frame += v; ++frameN; }
      if (v <= 127) continue;
      ++ink;
      let n = 0;
      for (const [dr, dc] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
        const rr = r + dr, cc = c + dc;
        if (rr >= 0 && cc >= 0 && rr < SIDE && cc < SIDE && d[rr * SIDE + cc] > 127) ++n;
      }
      if (n >= 3) ++solid;
    }
  const coverage = ink / (SIDE * SIDE);
  return { ok: coverage > 0.03 && coverage < 0.45 && frame / frameN < 60 && solid / Math.max(1, ink) > 0.55,
           coverage, frame: frame / frameN, solid: solid / Math.max(1, ink) };
}

let server, browser, session;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  session = await openPage(browser, server.url);
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test('the page loads and draws 64 digit-like images from the shipped weights', async () => {
  const { page } = session;
  assert.equal(await page.evaluate(() => document.body.dataset.ready), '1');
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP headers missing: no wasm threads');
  const px = await canvasPixels(page);
  assert.equal(px.width, 233);
  assert.equal(await page.evaluate(() => document.getElementById('canvas').getBoundingClientRect().width), 699);
  const scores = Array.from({ length: 64 }, (_, i) => digitLike(digitAt(px, i)));
  const good = scores.filter((s) => s.ok).length;
  assert.ok(good >= 48, `only ${good} of 64 cells look like digits: ${JSON.stringify(scores.slice(0, 4))}`);
  // Not 64 copies of one digit: the mean difference between neighbouring digits is large.
  let diff = 0;
  for (let i = 0; i < 63; ++i) {
    const a = digitAt(px, i), b = digitAt(px, i + 1);
    for (let p = 0; p < a.length; ++p) diff += Math.abs(a[p] - b[p]) / a.length / 63;
  }
  assert.ok(diff > 20, `neighbouring digits differ by only ${diff.toFixed(1)} grey levels on average`);
  assert.equal(await page.locator('#sliders input[type=range]').count(), 100);
  assert.match(await page.locator('#model-info').innerText(), /seed-mlp-gan/);
});

test('uniform noise and a blank image fail the digit-likeness check (the check can fail)', () => {
  const noise = Float64Array.from({ length: SIDE * SIDE }, (_, i) => ((i * 2654435761) % 1000) < 300 ? 255 : 0);
  assert.equal(digitLike(noise).ok, false);
  assert.equal(digitLike(new Float64Array(SIDE * SIDE)).ok, false);
});

test('clicking a digit selects it; moving a slider changes that digit and no other pixel', async () => {
  const { page } = session;
  const { x, y } = cell(10);
  await page.locator('#canvas').click({ position: { x: (x + 14) * CSS_SCALE, y: (y + 14) * CSS_SCALE } });
  await page.waitForFunction(() => document.getElementById('selected').textContent === '10');
  const z = await page.evaluate(() => Array.from(gan.HEAPF32.subarray(gan._gan_latent(10) >> 2, (gan._gan_latent(10) >> 2) + 100)));
  const shown = Number(await page.locator('#sliders input').nth(7).inputValue());
  assert.ok(Math.abs(shown - Math.max(-3, Math.min(3, z[7]))) < 0.01, `slider 7 shows ${shown}, latent is ${z[7]}`);

  const before = await canvasPixels(page);
  await page.locator('#sliders input').nth(7).fill(String(z[7] > 0 ? -2.5 : 2.5));
  const afterPx = await canvasPixels(page);
  let inside = 0, outside = 0;
  const c = cell(10);
  for (let py = 0; py < before.height; ++py)
    for (let pxX = 0; pxX < before.width; ++pxX) {
      const k = (py * before.width + pxX) * 4;
      if (before.data[k] === afterPx.data[k] && before.data[k + 1] === afterPx.data[k + 1] && before.data[k + 2] === afterPx.data[k + 2]) continue;
      const inCell = pxX >= c.x && pxX < c.x + SIDE * SCALE && py >= c.y && py < c.y + SIDE * SCALE;
      if (inCell) ++inside; else ++outside;
    }
  assert.ok(inside > 50, `only ${inside} pixels of the selected digit changed`);
  assert.equal(outside, 0, `${outside} pixels outside the selected digit changed`);
  // The move drew and put only the digit's cell; a whole redraw of the same grid puts the same pixels.
  await page.evaluate(() => { gan._gan_select(11); gan._gan_select(10); gan._gan_draw(); });
  assert.deepEqual((await canvasPixels(page)).data, afterPx.data, 'a whole redraw shows other pixels than the move');
});

async function dropFile(page, name, bytes) {
  await page.evaluate(async ({ name, bytes }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  }, { name, bytes: Array.from(bytes) });
}

function safetensors(header, dataBytes) {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, Buffer.alloc(dataBytes)]);
}

// The shipped generator with one weight of its first layer set to NaN (F16 0x7e00).
function withNan(file) {
  const out = Buffer.from(file);
  const headerLen = Number(out.readBigUInt64LE(0));
  const header = JSON.parse(out.subarray(8, 8 + headerLen).toString());
  out.writeUInt16LE(0x7e00, 8 + headerLen + header['main.0.weight'].data_offsets[0] + 2 * 17);
  return out;
}

// Bytes from a fixed xorshift stream: a different random file would make a failure hard to reproduce.
function randomBytes(n) {
  const out = Buffer.alloc(n);
  let x = 2463534242;
  for (let i = 0; i < n; ++i) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = x & 255; }
  return out;
}

test('hostile files (corrupt, wrong-shaped, PNG, huge header, NaN weights, random, oversized, empty) are refused with a message; the page keeps working', async () => {
  const { page } = session;
  const info = await page.locator('#model-info').innerText();
  const cases = [
    ['corrupt.safetensors', Buffer.from('this is not a safetensors file at all, just text')],
    ['wrong-shape.safetensors', safetensors({ 'main.0.weight': { dtype: 'F32', shape: [256, 50], data_offsets: [0, 51200] } }, 51200)],
    ['digits.png', readFileSync(`${repo}/docs/images/digits-100-epochs.png`)],
    ['huge-header.safetensors', Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 1, 0, 0]), Buffer.from('{}')])],
    ['nan-weights.safetensors', withNan(readFileSync(`${repo}/assets/generator-f16.safetensors`))],
    ['random.safetensors', randomBytes(4096)],
  ];
  const why = { 'huge-header.safetensors': /header claims 1099511627776 bytes, more than the 1048576 allowed/, 'nan-weights.safetensors': /NaN or infinite/,
                'digits.png': /this is a PNG image, not a safetensors file/ };
  for (const [name, bytes] of cases) {
    await dropFile(page, name, bytes);
    await page.waitForFunction((n) => document.getElementById('error').textContent.includes(n), name);
    const message = await page.locator('#error').innerText();
    assert.match(message, /not loaded/);
    assert.match(message, /unchanged/);
    if (why[name]) assert.match(message, why[name]);
    assert.equal(await page.locator('#model-info').innerText(), info);
  }
  // A file far larger than any generator is refused before it is read.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(80e6)], 'huge.safetensors'));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  });
  await page.waitForFunction(() => document.getElementById('error').textContent.includes('huge.safetensors'));
  assert.match(await page.locator('#error').innerText(), /80 MB, and a generator file is 3-6 MB/);
  // A file just under that limit whose one tensor claims a first layer for 117,187 inputs: refused from its header,
  // before any of its 60 MB is decoded, and not a crashed page.
  await page.evaluate(() => {  // built in the page: 60 MB is too much to send over the protocol as an array
    const header = new TextEncoder().encode(JSON.stringify({ 'main.0.weight': { dtype: 'F16', shape: [256, 117187], data_offsets: [0, 59999744] } }));
    const bytes = new Uint8Array(8 + header.length + 59999744);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'big.safetensors'));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  });
  await page.waitForFunction(() => document.getElementById('error').textContent.includes('big.safetensors'), null, { timeout: 60000 });
  assert.match(await page.locator('#error').innerText(), /not loaded: generator file: z size 117187 \(tensor "main.0.weight" of shape \[256,117187\]\) is out of range/);
  // The file picker path, too.
  await page.locator('#file').setInputFiles({ name: 'empty.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) });
  await page.waitForFunction(() => document.getElementById('error').textContent.includes('empty.safetensors'));
  // Still working: a slider still redraws the selected digit.
  const before = await canvasPixels(page);
  await page.locator('#sliders input').nth(3).fill('2.9');
  const afterPx = await canvasPixels(page);
  assert.ok(!afterPx.data.equals(before.data), 'the slider did not redraw the digit');
});

test('a valid generator file loads through the picker and its metadata is shown', async () => {
  const { page } = session;
  const bytes = readFileSync(`${repo}/assets/generator-f16.safetensors`);
  await page.locator('#file').setInputFiles({ name: 'mine.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
  await page.waitForFunction(() => document.getElementById('model-name').textContent.startsWith('mine.safetensors'));
  assert.equal(await page.locator('#error').isHidden(), true);
  assert.match(await page.locator('#model-info').innerText(), /the tutorial's MLP GAN[^]*trained on\s+mnist, 100,000 steps/);
});

test('buttons and keys: seed, randomise, walk, interpolate, stop; PNG and latent JSON downloads', async () => {
  const { page } = session;
  await page.locator('#seed').fill('42');
  await page.locator('#set-seed').click();
  assert.equal(await page.evaluate(() => gan._gan_seed()), 42);
  const seed42 = await canvasPixels(page);
  await page.locator('#randomize-all').click();
  assert.equal(await page.evaluate(() => gan._gan_seed()), 43);
  assert.ok(!(await canvasPixels(page)).data.equals(seed42.data), 'randomise all did not redraw');

  await page.locator('#walk').click();
  const a = await canvasPixels(page);
  await page.waitForTimeout(300);
  assert.ok(!(await canvasPixels(page)).data.equals(a.data), 'the walk did not move the digit');
  await page.locator('#stop').click();
  assert.equal(await page.evaluate(() => gan._gan_animation()), 0);

  // Interpolate: the next click on a digit picks the target instead of selecting it.
  const selected = await page.evaluate(() => gan._gan_selected());
  await page.locator('#interpolate').click();
  const t = cell(12);
  await page.locator('#canvas').click({ position: { x: (t.x + 14) * CSS_SCALE, y: (t.y + 14) * CSS_SCALE } });
  // SDL hands the click to the viewer on the next animation frame.
  await page.waitForFunction(() => gan._gan_animation() === 2);
  assert.equal(await page.evaluate(() => gan._gan_selected()), selected);
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Interpolating'));
  await page.locator('#stop').click();

  // Keys on the canvas: r gives the selected digit a new latent vector.
  const zBefore = await page.evaluate(() => gan.HEAPF32[gan._gan_latent(gan._gan_selected()) >> 2]);
  await page.locator('#canvas').focus();
  await page.keyboard.press('r');
  await page.waitForFunction((z) => gan.HEAPF32[gan._gan_latent(gan._gan_selected()) >> 2] !== z, zBefore);
  // ...but typing in the seed box does not reach the viewer.
  const zTyped = await page.evaluate(() => gan.HEAPF32[gan._gan_latent(gan._gan_selected()) >> 2]);
  await page.locator('#seed').focus();
  await page.keyboard.type('r');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await page.evaluate(() => gan.HEAPF32[gan._gan_latent(gan._gan_selected()) >> 2]), zTyped);

  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#download-png').click()]);
  const pngBytes = readFileSync(await png.path());
  assert.deepEqual([...pngBytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#download-json').click()]);
  const saved = JSON.parse(readFileSync(await json.path(), 'utf8'));
  assert.equal(saved.z.length, 100);
  assert.equal(saved.seed, 43);
});

test('4x4 grid: the canvas is redrawn and shown at the larger scale, with the same generator and seed', async () => {
  const { page } = session;
  const info = await page.locator('#model-info').innerText();
  // Every digit as its seed draws it (earlier tests edited some), read from the core.
  const digits = () => page.evaluate(() => Array.from({ length: gan._gan_count() }, (_, i) =>
    Array.from(gan.HEAPF32.subarray(gan._gan_digit(i) >> 2, (gan._gan_digit(i) >> 2) + 784))));
  await page.evaluate(() => gan._gan_set_seed(gan._gan_seed()));
  const before = await digits();
  // A refused file just before: the new grid still describes the generator in use, not that file's error.
  await dropFile(page, 'bad.safetensors', Buffer.from('not a generator'));
  await page.waitForFunction(() => document.getElementById('error').textContent.includes('bad.safetensors'));
  await page.locator('#grid').selectOption('4');
  await page.waitForFunction(() => document.getElementById('canvas').width === 117);
  assert.equal(await page.evaluate(() => document.getElementById('canvas').getBoundingClientRect().width), 702);
  assert.equal(await page.locator('#model-info').innerText(), info);
  await page.locator('#grid').selectOption('8');
  await page.waitForFunction(() => document.getElementById('canvas').width === 233);
  // The viewer kept its generator (a new grid reads no file) and the seed: the same 64 digits come back.
  assert.equal(await page.locator('#model-info').innerText(), info);
  assert.deepEqual(await digits(), before);
});

test('the canvas fits a narrow window at a smaller whole scale, and clicks still find their digit', async () => {
  const { page } = session;
  const cssWidth = () => page.evaluate(() => document.getElementById('canvas').getBoundingClientRect().width);
  await page.setViewportSize({ width: 600, height: 1000 });
  await page.waitForFunction(() => document.getElementById('canvas').getBoundingClientRect().width === 466);  // 2x
  const x = GAP + 5 * (SIDE + GAP), y = GAP + 2 * (SIDE + GAP);  // digit 21: row 2, column 5
  await page.locator('#canvas').click({ position: { x: (x + 14) * 2, y: (y + 14) * 2 } });
  await page.waitForFunction(() => document.getElementById('selected').textContent === '21');
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.waitForFunction(() => document.getElementById('canvas').getBoundingClientRect().width === 699);
  assert.equal(await cssWidth(), 699);
});

test('a class-conditional generator: rows of 0-9 from one z, the digit picker, a row from one z, and back', async () => {
  const { page } = session;
  await page.locator('#load-conditional').click();
  await page.waitForFunction(() => !document.getElementById('digit-picker').hidden);
  // Ten columns of 28 pixels and 1-pixel gaps: 291 wide; 8 rows.
  await page.waitForFunction(() => document.getElementById('canvas').width === 291);
  assert.equal(await page.evaluate(() => gan._gan_count()), 80);
  assert.equal(await page.evaluate(() => gan._gan_classes()), 10);
  const cell10 = (i) => ({ x: GAP + (i % 10) * (SIDE + GAP), y: GAP + Math.floor(i / 10) * (SIDE + GAP) });
  const labels = await page.evaluate(() => Array.from({ length: 20 }, (_, i) => gan._gan_label(i)));
  assert.deepEqual(labels, Array.from({ length: 20 }, (_, i) => i % 10));
  const z = (i) => page.evaluate((k) => Array.from(gan.HEAPF32.subarray(gan._gan_latent(k) >> 2, (gan._gan_latent(k) >> 2) + 100)), i);
  assert.deepEqual(await z(9), await z(0), 'a row shares one latent vector');
  assert.notDeepEqual(await z(10), await z(0));
  assert.match(await page.locator('#model-info').innerText(), /conditional-mlp-gan/);

  // Select digit 13 (class 3) and ask for a 7: only that digit's pixels change, and the picker shows 7.
  const c = cell10(13);
  await page.locator('#canvas').click({ position: { x: (c.x + 14) * CSS_SCALE, y: (c.y + 14) * CSS_SCALE } });
  await page.waitForFunction(() => document.getElementById('selected').textContent === '13');
  assert.equal(await page.locator('#digit-buttons button[aria-pressed="true"]').innerText(), '3');
  const before = await canvasPixels(page);
  await page.locator('#digit-buttons button[data-digit="7"]').click();
  const afterPx = await canvasPixels(page);
  assert.equal(await page.evaluate(() => gan._gan_label(13)), 7);
  assert.equal(await page.locator('#digit-buttons button[aria-pressed="true"]').innerText(), '7');
  let inside = 0, outside = 0;
  for (let py = 0; py < before.height; ++py)
    for (let px = 0; px < before.width; ++px) {
      const k = (py * before.width + px) * 4;
      if (before.data[k] === afterPx.data[k]) continue;
      if (px >= c.x && px < c.x + SIDE && py >= c.y && py < c.y + SIDE) ++inside; else ++outside;
    }
  assert.ok(inside > 50, `only ${inside} pixels of the re-classed digit changed`);
  assert.equal(outside, 0);

  // A slider move, then "Row 0-9 from this z": the whole row takes digit 13's new vector, as classes 0..9.
  await page.locator('#sliders input').nth(3).fill('2.5');
  const mine = await z(13);
  await page.locator('#class-row').click();
  for (let i = 10; i < 20; ++i) assert.deepEqual(await z(i), mine, `digit ${i} has the row's vector`);
  assert.deepEqual(await page.evaluate(() => Array.from({ length: 10 }, (_, i) => gan._gan_label(10 + i))),
                   [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

  // The digits are digit-like (the same check as the shipped generator's).
  const px = await canvasPixels(page);
  let good = 0;
  for (let i = 0; i < 80; ++i) {
    const { x, y } = cell10(i);
    const d = new Float64Array(SIDE * SIDE);
    for (let r = 0; r < SIDE; ++r) for (let q = 0; q < SIDE; ++q) d[r * SIDE + q] = px.data[((y + r) * px.width + x + q) * 4];
    if (digitLike(d).ok) ++good;
  }
  assert.ok(good >= 64, `only ${good} of 80 conditional digits look like digits`);

  // A 4-row grid keeps the conditional generator and its column per class.
  await page.locator('#grid').selectOption('4');
  await page.waitForFunction(() => document.getElementById('canvas').height === 117);
  assert.equal(await page.evaluate(() => document.getElementById('canvas').width), 291);
  assert.equal(await page.evaluate(() => gan._gan_count()), 40);
  // At 3x, not the 6x of a square 4x4 grid (1746 px, wider than the page).
  assert.equal(await page.evaluate(() => document.getElementById('canvas').getBoundingClientRect().width), 873);
  assert.match(await page.locator('#model-info').innerText(), /conditional-mlp-gan/);
  assert.equal(await page.locator('#digit-picker').isHidden(), false);
  await page.locator('#grid').selectOption('8');
  await page.waitForFunction(() => document.getElementById('canvas').height === 233);

  await page.locator('#load-shipped').click();
  await page.waitForFunction(() => document.getElementById('canvas').width === 233);
  assert.equal(await page.locator('#digit-picker').isHidden(), true);
  assert.equal(await page.evaluate(() => gan._gan_count()), 64);
});

test('no console errors, failed requests or page errors', () => {
  assert.deepEqual(session.problems, []);
});
