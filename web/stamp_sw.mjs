#!/usr/bin/env node
// Writes the site's service worker (web/sw.js with this build's hash and file list) into the site folder, so that a
// new build's worker replaces every cached file at once.
// Usage: node web/stamp_sw.mjs <web folder> <site folder>
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const [web, site] = process.argv.slice(2);
// Not cached ahead: the precompressed copies (a server's business), the worker itself, the training digits.
const skip = (rel) => /\.(br|gz)$/.test(rel) || rel === 'sw.js' || rel.startsWith('data/');
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [relative(site, path)];
  }).filter((rel) => !skip(rel)).sort();
}
const list = files(site);
const hash = createHash('sha256');
for (const rel of list) hash.update(rel).update(readFileSync(join(site, rel)));
const build = hash.digest('hex').slice(0, 16);
const precache = ['./', ...list];
const sw = readFileSync(join(web, 'sw.js'), 'utf8').replace("'__BUILD__'", `'${build}'`)
  .replace('__FILES__', JSON.stringify(precache));
writeFileSync(join(site, 'sw.js'), sw);
console.log(`stamp_sw: build ${build}, ${precache.length} files`);
