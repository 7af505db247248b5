// The project's digit classifier (assets/digit-classifier.safetensors, the judge of `gan eval`) in plain JavaScript,
// so a browser test can ask what digit the page drew. It is checked against MNIST's own test digits before use.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fromHalf } from '../../web/share_link.js';
import { repo } from './harness.mjs';

// The F16 tensors of a safetensors file as Float32Arrays, by name.
function readTensors(path) {
  const bytes = readFileSync(path), headerSize = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerSize).toString('utf8')), base = 8 + headerSize;
  const tensors = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (t.dtype !== 'F16') throw new Error(`${name} is ${t.dtype}; the judge reads F16`);
    const [begin, end] = t.data_offsets, values = new Float32Array((end - begin) / 2);
    for (let i = 0; i < values.length; ++i) values[i] = fromHalf(bytes.readUInt16LE(base + begin + 2 * i));
    tensors[name] = { values, shape: t.shape };
  }
  return tensors;
}

const tensors = readTensors(`${repo}/assets/digit-classifier.safetensors`);
const LAYERS = ['main.0', 'main.3', 'main.6'];  // 784 -> 512 -> 128 -> 10, LeakyReLU(0.2) between

// Class probabilities of one digit (784 pixels in [-1, 1]).
export function classProbabilities(pixels) {
  let x = Float32Array.from(pixels);
  LAYERS.forEach((name, k) => {
    const { values: w, shape: [out, inp] } = tensors[`${name}.weight`], b = tensors[`${name}.bias`].values;
    const y = new Float32Array(out);
    for (let o = 0; o < out; ++o) {
      let s = b[o];
      for (let i = 0; i < inp; ++i) s += w[o * inp + i] * x[i];
      y[o] = k < LAYERS.length - 1 && s < 0 ? 0.2 * s : s;
    }
    x = y;
  });
  const top = Math.max(...x), e = x.map((v) => Math.exp(v - top)), sum = e.reduce((a, v) => a + v, 0);
  return Array.from(e, (v) => v / sum);
}

export const classify = (pixels) => {
  const p = classProbabilities(pixels);
  const label = p.indexOf(Math.max(...p));
  return { label, probability: p[label] };
};

// The share of MNIST's first `count` test digits the judge reads as their label.
export function judgeAccuracy(count = 200) {
  const images = gunzipSync(readFileSync(`${repo}/data/mnist/t10k-images-idx3-ubyte.gz`));
  const labels = gunzipSync(readFileSync(`${repo}/data/mnist/t10k-labels-idx1-ubyte.gz`));
  let right = 0;
  for (let n = 0; n < count; ++n) {
    const pixels = Array.from(images.subarray(16 + 784 * n, 16 + 784 * (n + 1)), (v) => v / 127.5 - 1);
    if (classify(pixels).label === labels[8 + n]) ++right;
  }
  return right / count;
}
