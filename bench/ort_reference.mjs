// ONNX Runtime Web as the benchmarks' stronger reference: our generator file exported to ONNX by Debian's PyTorch
// (bench/export_onnx.py), then timed in the same browser on the same latent vectors (bench/web/ort_generator.js).
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { firstDigitDifference, repo } from '../tests/web/harness.mjs';

// assets/<name>.safetensors -> build/bench-onnx/<name>.onnx (served under /bench-onnx/); returns that URL path.
export function exportOnnx(generatorFile) {
  const name = basename(generatorFile, '.safetensors') + '.onnx';
  const run = spawnSync('/usr/bin/python3', [`${repo}/bench/export_onnx.py`, `${repo}/${generatorFile}`,
                                             `${repo}/build/bench-onnx/${name}`], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('bench/export_onnx.py failed (PyTorch missing? bash bench/setup_pytorch.sh)');
  return `/bench-onnx/${name}`;
}

// ORT Web's 64-digit grid and single digit (back to back, and one per animation frame) on `ours.z`, and the largest
// pixel difference between its first digit and `ours.first_digit`.
export async function ortTimes(browser, url, onnxPath, ours, runs = 60) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${url}bench/ort.html`);
    await page.waitForFunction(() => document.getElementById('status').textContent === 'ready');
    const ort = await page.evaluate(({ path, z, runs }) => window.ortBench(path, z, 64, runs), { path: onnxPath, z: ours.z, runs });
    return { ...ort, difference: firstDigitDifference(ort, ours) };
  } finally {
    await context.close();
  }
}
