#!/usr/bin/env node
// Writes brotli (.br) and gzip (.gz) copies of the site's files next to them, once per change, so web/serve.mjs
// can send the smallest encoding the browser accepts without compressing on each request.
// Usage: node web/precompress.mjs <site folder>
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const compressible = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.safetensors', '.webmanifest', '.md']);
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isDirectory()) { walk(path); continue; }
    if (!compressible.has(extname(name))) continue;
    const fresh = (copy) => { try { return statSync(copy).mtimeMs >= info.mtimeMs; } catch { return false; } };
    if (fresh(`${path}.br`) && fresh(`${path}.gz`)) continue;
    const body = readFileSync(path);
    writeFileSync(`${path}.br`, brotliCompressSync(body, { params: {
      [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  }
}
walk(process.argv[2]);
