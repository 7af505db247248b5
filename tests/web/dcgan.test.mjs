// The convolutional GAN in the page: one click away, its facts in the panel, sliders live, the same digits with
// and without threads, and a shared link that opens it (training it in the page: train.test.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canvasPixels, launchBrowser, openPage, startServer, startStaticServer } from './harness.mjs';

let isolatedServer, staticServer, browser;
before(async () => {
  [isolatedServer, staticServer] = await Promise.all([startServer(), startStaticServer()]);
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); isolatedServer?.stop(); staticServer?.stop(); });

async function openDcgan(url) {
  const opened = await openPage(browser, url);
  const { page } = opened;
  await page.click('#load-dcgan');
  await page.waitForFunction(() => document.getElementById('model-name').textContent.includes('generator-dcgan-q8'));
  return opened;
}

// Opens `link` in a fresh page: it must show `file`'s generator and exactly the digits `page` shows, without problems.
async function linkOpensSameDigits(page, link, file) {
  const shown = await canvasPixels(page);
  const other = await openPage(browser, link);
  await other.page.waitForFunction((f) => document.getElementById('model-name').textContent.includes(f), file);
  assert.deepEqual((await canvasPixels(other.page)).data, shown.data, 'the link opened other digits');
  assert.deepEqual(other.problems, []);
  await other.context.close();
}

test('the DCGAN is one click away: its facts, live sliders, and the same digits with and without threads', async () => {
  const isolated = await openDcgan(isolatedServer.url);
  const plain = await openDcgan(staticServer.url);
  const { page } = isolated;
  const facts = await page.textContent('#model-info');
  assert.match(facts, /convolutional GAN \(DCGAN\)/);
  assert.match(facts, /ConvTranspose2d\(128, 64, 4, 2, 1/);
  assert.equal(await page.isHidden('#load-dcgan'), true);
  assert.equal(await page.isVisible('#load-shipped'), true);

  assert.deepEqual((await canvasPixels(plain.page)).data, (await canvasPixels(page)).data,
    'the threaded and the single-threaded page drew different DCGAN digits');
  const before = await canvasPixels(page);
  await page.locator('#sliders input').nth(7).fill('2.5');
  const after = await canvasPixels(page);
  assert.notDeepEqual(after.data, before.data, 'the slider changed nothing');
  assert.deepEqual(isolated.problems, []);
  assert.deepEqual(plain.problems, []);
  await isolated.context.close();
  await plain.context.close();
});

test('a shared link carries the DCGAN (m=d) and opens its digit', async () => {
  const { page, context, problems } = await openDcgan(isolatedServer.url);
  await page.locator('#sliders input').nth(3).fill('-1.5');
  await page.click('#share');
  await page.waitForFunction(() => location.hash.length > 10);
  const link = await page.evaluate(() => location.href);
  assert.match(link, /m=d/);
  await linkOpensSameDigits(page, link, 'generator-dcgan-q8');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the class-conditional DCGAN is one click away, picks classes, and travels in a link (m=cd)', async () => {
  const { page, context, problems } = await openPage(browser, isolatedServer.url);
  await page.click('#load-conditional-dcgan');
  await page.waitForFunction(() => document.getElementById('model-name').textContent.includes('generator-conditional-dcgan-q8'));
  assert.match(await page.textContent('#model-info'), /class-conditional DCGAN/);
  assert.equal(await page.isVisible('#digit-picker'), true);
  assert.equal(await page.evaluate(() => gan._gan_count()), 80, 'a column per class: 10x8');
  await page.evaluate(() => gan._gan_select(5));
  await page.click('#digit-buttons button[data-digit="3"]');
  await page.locator('#sliders input').nth(2).fill('1.5');
  await page.click('#share');
  await page.waitForFunction(() => location.hash.length > 10);
  const link = await page.evaluate(() => location.href);
  assert.match(link, /m=cd&.*c=3/);
  await linkOpensSameDigits(page, link, 'generator-conditional-dcgan-q8');
  assert.deepEqual(problems, []);
  await context.close();
});
