// The seed's GAN, or the DCGAN (tfjs_dcgan.js), trained in TF.js 4.22 (wasm backend): the reference for the
// browser-training benchmark (bench/web_train_bench.mjs calls window.tfjsTrainBench). Same model, loss, optimizers
// and step as ours: the seed's G 100-256-512-1024-784 (LeakyReLU 0.2, tanh), D 784-1024-512-256-1 (LeakyReLU 0.2,
// Dropout 0.5, logit + BCE); Adam(2e-4, 0.5, 0.999) for both; per step a D step on real and fake (losses summed),
// then a G step. TF.js's minimize() records G's forward pass inside the G step's closure, so its G step draws fresh
// z and runs G forward again, where ours reuses the D step's forward pass (the DCGAN) or stacks both (the MLP):
// one more forward pass of G per step for TF.js, about a sixth of the DCGAN step's work.
'use strict';

// `backend`: 'wasm' (TF.js's fastest CPU path), or for the DCGAN 'cpu' or 'webgl': TF.js 4.22's wasm backend has no
// Conv2DBackpropFilter kernel, so it cannot train a convolutional network.
window.tfjsTrainBench = async function (digitsUrl, batch, warmup, seconds, model = 'seed', backend = 'wasm') {
  tf.wasm.setWasmPaths('/vendor/tfjs-backend-wasm/');
  if (!await tf.setBackend(backend)) throw new Error(`TF.js backend ${backend} is not available here`);
  await tf.ready();

  // The same 60,000 digits as the page trains on, scaled to [-1, 1].
  const response = await fetch(digitsUrl);
  const idx = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const count = new DataView(idx.buffer).getUint32(4, false);
  const pixels = Float32Array.from(idx.subarray(16, 16 + count * 784), (p) => p / 127.5 - 1);
  const dcgan = model === 'dcgan';
  const imageShape = dcgan ? [28, 28, 1] : [784];
  const images = tf.tensor(pixels, [count, ...imageShape]);

  const dense = (units, inputDim, activation) =>
    tf.layers.dense({ units, inputShape: inputDim ? [inputDim] : undefined, activation });
  const { G, D } = dcgan ? window.tfjsDcganNetworks() : {
    G: tf.sequential({ layers: [dense(256, 100), tf.layers.leakyReLU({ alpha: 0.2 }), dense(512),
      tf.layers.leakyReLU({ alpha: 0.2 }), dense(1024), tf.layers.leakyReLU({ alpha: 0.2 }), dense(784, null, 'tanh')] }),
    D: tf.sequential({ layers: [dense(1024, 784), tf.layers.leakyReLU({ alpha: 0.2 }), tf.layers.dropout({ rate: 0.5 }),
      dense(512), tf.layers.leakyReLU({ alpha: 0.2 }), tf.layers.dropout({ rate: 0.5 }), dense(256),
      tf.layers.leakyReLU({ alpha: 0.2 }), tf.layers.dropout({ rate: 0.5 }), dense(1)] }),
  };
  const optG = tf.train.adam(2e-4, 0.5, 0.999), optD = tf.train.adam(2e-4, 0.5, 0.999);
  const bce = (logits, target) => tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, target), logits);
  // Each optimizer updates only its own network's variables (LayerVariable.read() is the tf.Variable).
  const varsG = G.trainableWeights.map((w) => w.read()), varsD = D.trainableWeights.map((w) => w.read());
  const batches = Math.floor(count / batch);
  let b = 0, lastLosses = null;

  function step() {
    const real = tf.tidy(() => images.slice([(b++ % batches) * batch], [batch]));
    const fake = tf.tidy(() => G.apply(tf.randomNormal([batch, 100]), { training: true }));
    const dLoss = optD.minimize(() =>
      tf.add(bce(D.apply(real, { training: true }), 1), bce(D.apply(fake, { training: true }), 0)), true, varsD);
    fake.dispose();
    const gLoss = optG.minimize(() => {
      const fake = G.apply(tf.randomNormal([batch, 100]), { training: true });
      return bce(D.apply(fake, { training: true }), 1);
    }, true, varsG);
    real.dispose();
    return [dLoss, gLoss];
  }
  // Wait for each step's losses, as our worker does (it reports every step): no queue of unfinished steps.
  async function timedSteps(n) {
    for (let i = 0; i < n; ++i) {
      const [d, g] = step();
      lastLosses = [(await d.data())[0], (await g.data())[0]];
      d.dispose();
      g.dispose();
    }
  }
  await timedSteps(warmup);
  const t0 = performance.now();
  let steps = 0;
  while (performance.now() - t0 < seconds * 1000) { await timedSteps(1); ++steps; }
  const elapsed = (performance.now() - t0) / 1000;
  return { itPerSec: steps / elapsed, steps, seconds: elapsed, lastLosses, backend: tf.getBackend(),
           threads: backend === 'wasm' ? tf.wasm.getThreadsCount?.() ?? null : null,
           simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
           multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'), tensors: tf.memory().numTensors };
};
