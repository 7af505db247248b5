// The page on an ordinary static host (python3 -m http.server: no COOP/COEP headers, so not cross-origin isolated):
// it runs the wasm without threads, draws the same digits as the isolated page, its sliders redraw, and the
// browser trains.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canvasPixels, launchBrowser, openPage, repo, startServer, startStaticServer } from './harness.mjs';

let isolatedServer, staticServer, browser;
before(async () => {
  [isolatedServer, staticServer] = await Promise.all([startServer(), startStaticServer()]);
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); isolatedServer?.stop(); staticServer?.stop(); });

test('without COOP/COEP: one thread, said in the mode line, and the same pixels as the isolated page', async () => {
  const plain = await openPage(browser, staticServer.url);
  const isolated = await openPage(browser, isolatedServer.url);
  assert.equal(await plain.page.evaluate(() => crossOriginIsolated), false);
  assert.equal(await plain.page.evaluate(() => document.body.dataset.ready), '1', await plain.page.textContent('#error'));
  assert.match(await plain.page.textContent('#mode'), /one thread/);
  assert.match(await isolated.page.textContent('#mode'), /2 threads/);
  assert.deepEqual((await canvasPixels(plain.page)).data, (await canvasPixels(isolated.page)).data,
    'the two variants drew different digits for the same seed');
  assert.deepEqual(plain.problems, []);
  await isolated.context.close();
  await plain.context.close();
});

test('without COOP/COEP: a slider redraws, your own and the conditional generator load, and training steps run', async () => {
  const { page, problems, context } = await openPage(browser, staticServer.url);
  const before = await canvasPixels(page);
  await page.locator('#sliders input').nth(5).fill('2.9');
  assert.notDeepEqual((await canvasPixels(page)).data, before.data, 'the slider changed nothing');

  // Your own generator and the conditional one load here too.
  const { readFileSync } = await import('node:fs');
  await page.locator('#file').setInputFiles({ name: 'mine.safetensors', mimeType: 'application/octet-stream',
    buffer: readFileSync(`${repo}/assets/generator-f16.safetensors`) });
  await page.waitForFunction(() => document.getElementById('model-name').textContent.startsWith('mine.safetensors'));
  await page.click('#load-conditional');
  await page.waitForFunction(() => gan._gan_classes() === 10 && gan._gan_count() === 80);

  await page.fill('#train-steps', '5');
  await page.click('#train-start');
  await page.waitForFunction(() => window.ganTraining.info && window.ganTraining.info.step >= 5 && !window.ganTraining.running,
    null, { timeout: 120000 });
  const history = await page.evaluate(() => window.ganTraining.history);
  assert.equal(history.length, 5);
  assert.ok(history.every((r) => Number.isFinite(r.d_loss) && Number.isFinite(r.g_loss)));
  assert.deepEqual(problems, []);
  await context.close();
});
