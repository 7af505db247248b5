// The project's DCGAN (src/architectures.cpp) in TF.js 4.22: its generator built from the same safetensors file the
// page loads (bench/web_dcgan_bench.mjs calls window.tfjsDcganBench), and both networks for the browser-training
// benchmark (tfjs_train.js). TF.js works in NHWC where PyTorch works in NCHW; the weights are rearranged once here.
'use strict';

// PyTorch's [in, out, k, k] ConvTranspose2d weight as TF.js's conv2dTranspose filter [k, k, out, in] (both are the
// gradient of a cross-correlation, so no flip).
function convTransposeFilter(t) {
  const [cin, cout, k] = t.shape, f = new Float32Array(t.data.length);
  for (let i = 0; i < cin; ++i)
    for (let o = 0; o < cout; ++o)
      for (let y = 0; y < k; ++y)
        for (let x = 0; x < k; ++x) f[((y * k + x) * cout + o) * cin + i] = t.data[((i * cout + o) * k + y) * k + x];
  return tf.tensor4d(f, [k, k, cout, cin]);
}

// The 7x7 Linear layer's 6272 outputs (rows of its [6272, 256] weight; BatchNorm1d's values) reordered from PyTorch's
// unflattened (c, h, w) to NHWC's (h, w, c), so that its output reshapes straight to [7, 7, 128]. `width`: the
// values per output (256 for the weight, 1 for a vector).
function toHwcOrder(values, width, channels = 128, positions = 49) {
  const out = new Float32Array(values.length);
  for (let c = 0; c < channels; ++c)
    for (let p = 0; p < positions; ++p)
      out.set(values.subarray((c * positions + p) * width, (c * positions + p + 1) * width), (p * channels + c) * width);
  return out;
}

// BatchNorm in evaluation mode from the file's main.<i>.* tensors.
function batchNormFrom(t, i, reorder) {
  const v = (name) => tf.tensor1d(reorder(t[`main.${i}.${name}`].data));
  return { mean: v('running_mean'), variance: v('running_var'), offset: v('bias'), scale: v('weight') };
}
const applyBatchNorm = (h, bn) => tf.batchNorm(h, bn.mean, bn.variance, bn.offset, bn.scale, 1e-5);

window.tfjsDcganBench = async function (weightsUrl, zFlat, rows, runs) {
  tf.wasm.setWasmPaths('/vendor/tfjs-backend-wasm/');
  await tf.setBackend('wasm');
  await tf.ready();
  const t = parseSafetensors(await (await fetch(weightsUrl)).arrayBuffer());
  const same = (x) => x, hwc = (x) => toHwcOrder(x, 1);
  // main.0-2: Linear(100, 256) without bias, BatchNorm1d, ReLU (the unconditional G's first layer).
  const choose = tf.transpose(tf.tensor2d(t['main.0.weight'].data, t['main.0.weight'].shape));
  const bn0 = batchNormFrom(t, 1, same);
  // main.3: Linear(256, 6272) without bias, as W^T [256, 6272] with its outputs in NHWC order.
  const w3 = t['main.3.weight'];
  const linear = tf.transpose(tf.tensor2d(toHwcOrder(w3.data, w3.shape[1]), w3.shape));
  const bn4 = batchNormFrom(t, 4, hwc), bn8 = batchNormFrom(t, 8, same);
  const up1 = convTransposeFilter(t['main.7.weight']), up2 = convTransposeFilter(t['main.10.weight']);
  const bias10 = tf.tensor1d(t['main.10.bias'].data);
  const generate = (z) => tf.tidy(() => {
    let h = tf.relu(applyBatchNorm(tf.matMul(z, choose), bn0));
    h = tf.relu(applyBatchNorm(tf.matMul(h, linear), bn4)).reshape([z.shape[0], 7, 7, 128]);
    h = tf.relu(applyBatchNorm(tf.conv2dTranspose(h, up1, [z.shape[0], 14, 14, 64], 2, 'same'), bn8));
    return tf.tanh(tf.add(tf.conv2dTranspose(h, up2, [z.shape[0], 28, 28, 1], 2, 'same'), bias10));
  });
  return timeGenerator(generate, zFlat, rows, runs);
};

// Both networks as TF.js layers, for training (tfjs_train.js): the same layers and DCGAN initialisation (weights
// N(0, 0.02)), NHWC. PyTorch's Conv2d(k 4, stride 2, padding 1) and its transpose are TF's 'same' padding at these
// sizes (one row and column of padding on each side).
window.tfjsDcganNetworks = function () {
  const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });
  const bn = () => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });  // PyTorch's momentum 0.1
  const G = tf.sequential({ layers: [
    tf.layers.dense({ units: 256, inputShape: [100], useBias: false, kernelInitializer: init() }), bn(),
    tf.layers.reLU(),
    tf.layers.dense({ units: 7 * 7 * 128, useBias: false, kernelInitializer: init() }), bn(),
    tf.layers.reLU(), tf.layers.reshape({ targetShape: [7, 7, 128] }),
    tf.layers.conv2dTranspose({ filters: 64, kernelSize: 4, strides: 2, padding: 'same', useBias: false,
                                kernelInitializer: init() }), bn(), tf.layers.reLU(),
    tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(),
                                activation: 'tanh' })] });
  const D = tf.sequential({ layers: [
    tf.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same', inputShape: [28, 28, 1],
                       kernelInitializer: init() }), tf.layers.leakyReLU({ alpha: 0.2 }),
    tf.layers.conv2d({ filters: 128, kernelSize: 4, strides: 2, padding: 'same', useBias: false,
                       kernelInitializer: init() }), bn(), tf.layers.leakyReLU({ alpha: 0.2 }),
    tf.layers.flatten(),  // the unconditional D's hidden layer (src/architectures.cpp says why)
    tf.layers.dense({ units: 1024, useBias: false, kernelInitializer: init() }), bn(), tf.layers.leakyReLU({ alpha: 0.2 }),
    tf.layers.dense({ units: 1, kernelInitializer: init() })] });
  return { G, D, imageShape: [28, 28, 1] };
};
