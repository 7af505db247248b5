// Finding and steering a digit in the page: a "1" drawn with the mouse is found as a digit the classifier reads as
// 1, the named sliders move what they are named for, the walk downloads as a GIF, and odd pictures and a directions
// file of another generator get a message while the page goes on working.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { classify, judgeAccuracy } from './digit_judge.mjs';
import { canvasPixels, launchBrowser, openPage, repo, startServer, startStaticServer } from './harness.mjs';
import { grayPng } from './png_bytes.mjs';

let server, staticServer, browser;
before(async () => {
  [server, staticServer] = await Promise.all([startServer(), startStaticServer()]);
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); server?.stop(); staticServer?.stop(); });

// A stroke with the mouse across the pad, through points given in the pad's own 280x280 pixels.
async function drawStroke(page, points) {
  const pad = page.locator('#pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const at = ([x, y]) => [box.x + x * box.width / 280, box.y + y * box.height / 280];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 8 });
  await page.mouse.up();
}

async function findIt(page) {
  await page.evaluate(() => { window.ganLastFind = null; });
  await page.click('#find-it');
  await page.waitForFunction(() => window.ganLastFind || !document.getElementById('error').hidden, null, { timeout: 60000 });
  return page.evaluate(() => ({ found: window.ganLastFind, error: document.getElementById('error').hidden ? '' : document.getElementById('error').textContent }));
}

const selectedDigit = (page) => page.evaluate(() => {
  const p = gan._gan_digit(gan._gan_selected()) >> 2;
  return Array.from(gan.HEAPF32.subarray(p, p + 784));
});

test('the judge is the classifier gan eval uses: it reads MNIST test digits right', () => {
  assert.ok(judgeAccuracy(200) >= 0.95, 'the JavaScript copy of the classifier misreads real digits');
});

for (const [mode, serverOf] of [['cross-origin isolated (2 threads)', () => server], ['a plain static host (1 thread)', () => staticServer]]) {
  test(`a "1" drawn with the mouse is found as a 1, put in the grid and the sliders (${mode})`, async () => {
    const { page, context, problems } = await openPage(browser, serverOf().url);
    await page.selectOption('#grid', '4');
    await drawStroke(page, [[150, 40], [146, 120], [140, 240]]);
    const { found, error } = await findIt(page);
    assert.equal(error, '');
    const seen = classify(await selectedDigit(page));
    assert.equal(seen.label, 1, `the classifier reads the found digit as ${seen.label} (${seen.probability.toFixed(2)})`);
    assert.ok(found.error < 0.1, `error ${found.error}`);
    assert.match(await page.textContent('#find-status'), /Found in [\d.]+ s: mean squared error 0\.\d{4}/);
    const dim0 = await page.textContent('#sliders label:first-child output');
    assert.equal(dim0, found.z[0].toFixed(2), 'the sliders do not show the found vector');
    console.log(`  find it (${mode}): ${found.ms.toFixed(0)} ms, error ${found.error.toFixed(4)}, read as 1 with p ${seen.probability.toFixed(3)}`);
    // Undo brings the digit back as it was before the search.
    await page.click('#undo');
    assert.notEqual(classify(await selectedDigit(page)).probability, seen.probability);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('each named slider moves its measure the way gan directions measured it', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.waitForSelector('#named:not([hidden]) input[data-direction="slant"]');
  const sidecar = JSON.parse(readFileSync(`${repo}/assets/generator-q8.directions.json`, 'utf8'));
  await page.evaluate(() => gan._gan_select(10));
  for (const [k, name] of ['ink', 'slant', 'width', 'height'].entries()) {
    const measure = () => page.evaluate((k) => gan.HEAPF32[(gan._gan_attributes(gan._gan_selected()) >> 2) + k], k);
    const slider = page.locator(`input[data-direction="${name}"]`);
    const start = Number(await slider.inputValue()), before = await measure();
    const by = start <= 0.5 ? 2.5 : -2.5;  // stay within the slider's -3..3
    await slider.fill(String(Math.round((start + by) * 20) / 20));
    const change = (await measure()) - before, expected = Math.sign(by) * Math.sign(sidecar.directions[k].change_at_plus_2);
    assert.equal(Math.sign(change), expected, `${name}: moving ${by} changed it by ${change}`);
    assert.match(await page.textContent(`.measure[data-attribute="${name}"]`), name === 'ink' ? /% ink/ : name === 'slant' ? /°/ : /px/);
    await page.click('#undo');
  }
  // The strips show digits (not a blank canvas) once drawn.
  await page.waitForTimeout(400);
  const inked = await page.evaluate(() => {
    const d = document.querySelector('.strip').getContext('2d').getImageData(0, 0, 196, 28).data;
    return d.filter((v, i) => i % 4 === 0 && v > 128).length;
  });
  assert.ok(inked > 100, 'the strip is blank');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Download GIF saves the selected digit walking', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.click('#download-gif');
  assert.match(await page.textContent('#share-status'), /walk \(w\) or an interpolation first/);
  await page.click('#walk');
  await page.waitForTimeout(1000);
  await page.click('#stop');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-gif')]);
  const gif = readFileSync(await download.path());
  assert.equal(gif.subarray(0, 6).toString('latin1'), 'GIF89a');
  assert.ok(gif.includes(Buffer.from('NETSCAPE2.0')), 'the GIF does not loop');
  assert.equal(gif[gif.length - 1], 0x3b);
  assert.equal(gif.readUInt16LE(6), 112, 'a frame is 112 pixels wide');
  assert.match(await page.textContent('#share-status'), /Saved a GIF of \d+ frames/);
  const frames = Number((await page.textContent('#share-status')).match(/(\d+) frames/)[1]);
  assert.ok(frames >= 10, `only ${frames} frames in a second of walking`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('odd pictures and a directions file of another generator get a message; the page goes on working', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  const cases = [
    ['empty.png', Buffer.alloc(0), /empty/],
    ['white.png', grayPng(64, 64, () => 255), /ink|one colou?r/i],
    ['dot.png', grayPng(1, 1, () => 0), /small|at least|side/i],
    ['poster.png', grayPng(8, 8, () => 0, { declared: [20000, 20000] }), /megapixels|not a picture/],
    ['animated.png', grayPng(32, 32, (x) => (x > 12 && x < 20 ? 255 : 0), { animated: true }), /animated PNG/],
    ['notes.png', Buffer.from('these are not pixels'), /not a picture/],
  ];
  const grid = await canvasPixels(page);
  for (const [name, buffer, message] of cases) {
    await page.evaluate(() => { document.getElementById('error').hidden = true; window.ganLastFind = null; });
    await page.setInputFiles('#pad-picture', { name, mimeType: 'image/png', buffer });
    await page.waitForFunction(() => !document.getElementById('error').hidden, null, { timeout: 30000 });
    assert.match(await page.textContent('#error'), message, name);
    assert.equal(await page.evaluate(() => window.ganLastFind), null, `${name} was searched`);
  }
  assert.deepEqual((await canvasPixels(page)).data, grid.data, 'a refused picture changed the digits');

  // The DCGAN's directions on the tutorial's MLP: refused, and the MLP's own named sliders stay.
  await page.evaluate(() => { document.getElementById('error').hidden = true; });
  await page.setInputFiles('#load-latent', `${repo}/assets/generator-dcgan-q8.directions.json`);
  await page.waitForFunction(() => !document.getElementById('error').hidden);
  assert.match(await page.textContent('#error'), /another generator|dcgan/i);
  assert.equal(await page.locator('#named-sliders input').count(), 4);
  // A good picture still works after all that.
  await page.setInputFiles('#pad-picture', { name: 'seven.png', mimeType: 'image/png',
    buffer: grayPng(60, 60, (x, y) => ((y > 8 && y < 14 && x > 10 && x < 50) || (Math.abs(x - (50 - (y - 12) * 0.45)) < 3 && y >= 12 && y < 54) ? 20 : 240)) });
  await page.waitForFunction(() => window.ganLastFind, null, { timeout: 60000 });
  assert.ok(problems.every((p) => /Failed to load resource|net::ERR/.test(p)) || problems.length === 0, problems.join('\n'));
  await context.close();
});
