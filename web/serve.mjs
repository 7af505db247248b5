#!/usr/bin/env node
// Serves the built page (build/wasm/site) with the COOP/COEP headers that make it cross-origin isolated (the page's
// 2-thread mode), brotli or gzip for what compresses. Only the site: --bench adds the benchmark's pages and TF.js.
// --host 0.0.0.0 listens on every interface (a VM or container reached from another computer; the page then runs
// on one thread unless it is reached as localhost or over https, where browsers allow cross-origin isolation).
// Prints the URL it listens on.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const root = resolve(option('--root', join(repo, 'build/wasm/site')));
const host = option('--host', '127.0.0.1');
const firstPort = Number(option('--port', process.env.PORT || 8080));
if (!Number.isInteger(firstPort) || firstPort < 0 || firstPort > 65535) {
  console.error(`serve: --port ${option('--port')} is not a port number; pass 1024-65535 (or 0 for any free port)`);
  process.exit(2);
}
// With --bench: URL prefixes mapped to folders outside the site (the benchmark's pages, its references TF.js and
// ONNX Runtime Web, and the ONNX files bench/export_onnx.py writes).
const mounts = args.includes('--bench') ? { '/vendor/tfjs/': join(repo, 'node_modules/@tensorflow/tfjs/dist'),
  '/vendor/tfjs-backend-wasm/': join(repo, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
  '/vendor/ort/': join(repo, 'node_modules/onnxruntime-web/dist'), '/bench/': join(repo, 'bench/web'),
  '/bench-onnx/': join(repo, 'build/bench-onnx') } : {};

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm',
  '.json': 'application/json', '.png': 'image/png', '.safetensors': 'application/octet-stream',
  '.gz': 'application/gzip', '.map': 'application/json', '.webmanifest': 'application/manifest+json',
  '.md': 'text/plain; charset=utf-8', '.onnx': 'application/octet-stream' };
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.safetensors', '.map', '.webmanifest', '.md']);
const gzipCache = new Map();  // path -> {mtimeMs, body}

function locate(urlPath) {
  for (const [prefix, dir] of Object.entries(mounts))
    if (urlPath.startsWith(prefix)) return [dir, urlPath.slice(prefix.length)];
  return [root, urlPath.slice(1) || 'index.html'];
}

// --no-isolation: no COOP/COEP headers, as an ordinary static host serves the page (its one-thread mode).
const isolation = args.includes('--no-isolation') ? {} : {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const server = createServer(async (req, res) => {
  const headers = { ...isolation, 'Cache-Control': 'no-cache' };
  try {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    let [dir, rel] = locate(urlPath);
    if (rel.endsWith('/') || rel === '') rel += 'index.html';
    const file = normalize(join(dir, rel));
    if (file !== dir && !file.startsWith(dir + sep)) throw Object.assign(new Error('outside the site'), { code: 'ENOENT' });
    const info = await stat(file);
    const ext = extname(file);
    headers['Content-Type'] = types[ext] || 'application/octet-stream';
    headers['Last-Modified'] = info.mtime.toUTCString();
    let body = null;
    const accepts = req.headers['accept-encoding'] || '';
    if (compressible.has(ext)) {
      // A precompressed copy (web/precompress.mjs) when it is at least as new as the file, else gzip on the fly.
      for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
        if (!new RegExp(`\\b${encoding}\\b`).test(accepts)) continue;
        const copy = await stat(file + suffix).catch(() => null);
        if (copy && copy.mtimeMs >= info.mtimeMs) {
          body = await readFile(file + suffix);
          headers['Content-Encoding'] = encoding;
          break;
        }
      }
      if (!body && /\bgzip\b/.test(accepts)) {
        let cached = gzipCache.get(file);
        if (!cached || cached.mtimeMs !== info.mtimeMs) {
          cached = { mtimeMs: info.mtimeMs, body: gzipSync(await readFile(file), { level: 6 }) };
          gzipCache.set(file, cached);
        }
        body = cached.body;
        headers['Content-Encoding'] = 'gzip';
      }
      headers.Vary = 'Accept-Encoding';
    }
    body ??= await readFile(file);
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (e) {
    const missing = e.code === 'ENOENT' || e.code === 'EISDIR' || e instanceof URIError;
    res.writeHead(missing ? 404 : 500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(missing ? 'Not found\n' : 'Server error\n');
    if (!missing) console.error(`serve: ${req.url}: ${e.message}`);
  }
});

// A busy port is common (another server, an earlier run): try the next few before giving up.
let port = firstPort;
server.on('error', (e) => {
  if (e.code === 'EADDRINUSE' && firstPort !== 0 && port < firstPort + 20) {
    server.listen(++port, host);
  } else {
    console.error(`serve: cannot listen on port ${port}: ${e.message}; pass another with --port`);
    process.exit(1);
  }
});
server.on('listening', async () => {
  try {
    await stat(join(root, 'gan_web.wasm'));
  } catch {
    console.error(`serve: warning: ${root} has no gan_web.wasm yet; build it with scripts/build_web.sh`);
  }
  const where = host === '127.0.0.1' || host === 'localhost' ? 'localhost' : host === '0.0.0.0' ? 'this-machine' : host;
  console.log(`Serving the digit page at http://localhost:${server.address().port}/  (Ctrl-C stops)`);
  if (where !== 'localhost')
    console.log(`  and from other computers at http://${where === 'this-machine' ? '<this machine\'s address>' : where}:${server.address().port}/ (one thread there: browsers isolate only localhost and https pages)`);
});
server.listen(port, host);
