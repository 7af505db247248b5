// web/serve.mjs: the headers that make the page cross-origin isolated, the encodings it picks, and requests that
// try to leave the site or pass a bad port.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { repo, startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

// A raw GET (fetch() would normalise "/../" away before sending it).
function get(path, headers = {}) {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('every response carries COOP/COEP, so the page is cross-origin isolated (wasm threads possible)', async () => {
  for (const path of ['/', '/gan_web.wasm', '/assets/generator-q8.safetensors', '/no-such-file']) {
    const r = await get(path);
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin', path);
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp', path);
  }
  assert.equal((await get('/gan_web.wasm')).headers['content-type'], 'application/wasm');
});

test('brotli when accepted, gzip otherwise, identity when neither', async () => {
  const plain = await get('/assets/generator-q8.safetensors');
  const br = await get('/assets/generator-q8.safetensors', { 'accept-encoding': 'gzip, br' });
  const gz = await get('/assets/generator-q8.safetensors', { 'accept-encoding': 'gzip' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(br.body.length < gz.body.length && gz.body.length < plain.body.length);
});

test('paths outside the site are not served', async () => {
  for (const path of ['/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/assets/../../CMakeLists.txt', '/%E0%A4%A']) {
    const r = await get(path);
    assert.equal(r.status, 404, path);
    assert.ok(!r.body.toString().includes('root:'), path);
  }
});

test('a bad --port is refused with a message', () => {
  const r = spawnSync(process.execPath, [`${repo}/web/serve.mjs`, '--port', 'eighty'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not a port number/);
});

test('only the site: the benchmark pages and TF.js need --bench', async () => {
  assert.equal((await get('/bench/tfjs.html')).status, 404);
  assert.equal((await get('/vendor/tfjs/tf.min.js')).status, 404);
});

test('--host 0.0.0.0 listens on every interface and says how to reach it', async () => {
  const proc = spawn(process.execPath, [`${repo}/web/serve.mjs`, '--port', '0', '--host', '0.0.0.0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise((resolve) => proc.stdout.on('data', (d) => { out += d; if (/other computers/.test(out)) resolve(); }));
  proc.kill();
  assert.match(out, /other computers at http:\/\/<this machine's address>:\d+\//);
});
