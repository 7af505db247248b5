// The training panel: settings, start/pause/resume/step/reset, live loss charts and sample grid, and the trained
// model's files. Training runs in web/train_worker.js (created on first use) and talks by messages:
//   to the worker:   new {arch}, from-generator, from-checkpoint, run {until, sampleEvery}, pause, step, file {kind}, inject-nan
//   from the worker: download {loaded, total, cached}, ready, started, progress {records, info, itPerSec}, samples, paused, diverged, file, error, fatal
import { LineChart } from './loss_chart.js';

const $ = (id) => document.getElementById(id);
const MAX_CHECKPOINT_BYTES = 64e6;  // a checkpoint of the seed's GAN is 36 MB

export function initTrainPanel(hooks) {
  let worker = null, workerReady = null;
  let run = null;        // the worker's run info, null when there is none
  let running = false;
  let target = 0;
  const state = { history: [], info: null, running: false, samplesStep: -1, samplesVersion: 0, itPerSec: null,
                  images: 0, downloads: [], digitsCached: null, injectNanAt: (step) => worker && worker.postMessage({ type: 'inject-nan', step }) };
  window.ganTraining = state;  // for tests and the curious

  // The same colour for each series as gan train's loss.png (native/loss_plot.h).
  const losses = new LineChart($('train-losses'), [{ name: 'D loss', color: '#1f77b4' }, { name: 'G loss', color: '#ff7f0e' }],
    null, 'loss (binary cross-entropy)');
  const outputs = new LineChart($('train-outputs'), [{ name: 'D(x)', color: '#2ca02c' }, { name: 'D(G(z))', color: '#d62728' }], [0, 1],
    'mean D output: real x, fake G(z)');
  losses.draw();
  outputs.draw();

  const status = (t) => { $('train-status').textContent = t; };
  const error = (t) => { $('train-error').textContent = t; $('train-error').hidden = !t; };
  let pendingFile = null;

  function buttons() {
    $('train-start').disabled = !!run || running;
    $('train-pause').disabled = !running;
    $('train-resume').disabled = !run || running;
    $('train-step').disabled = running;
    $('train-reset').disabled = !run;
    for (const id of ['train-use', 'train-download-generator', 'train-download-checkpoint']) $(id).disabled = !run;
    state.running = running;
  }

  // How long until digits appear at this rate: blurry ones after about 1,000 steps, clear ones after several
  // thousand (measured with gan train's sample grids).
  function estimate(info) {
    if (!state.itPerSec) return '';
    const left = (steps) => {
      const s = Math.max(0, steps - info.step) / state.itPerSec;
      return s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`;
    };
    return info.step < 1000 ? `At ${state.itPerSec.toFixed(0)} it/s: blurry digits in about ${left(1000)}, clear ones in about ${left(5000)}.`
      : info.step < 5000 ? `At ${state.itPerSec.toFixed(0)} it/s: clear digits in about ${left(5000)}.` : '';
  }

  const MODEL_NAMES = { seed: 'The tutorial\'s MLP', dcgan: 'The DCGAN', conditional: 'The class-conditional MLP',
                        'conditional-dcgan': 'The class-conditional DCGAN' };
  function describe(info) {
    $('train-estimate').textContent = estimate(info);
    const rate = state.itPerSec ? `, ${state.itPerSec.toFixed(1)} it/s` : '';
    return `${MODEL_NAMES[info.arch] || info.arch}, step ${info.step} (epoch ${info.epoch + 1}, ${info.batches_per_epoch} batches of ${info.batch} each)${rate}. ` +
           `Seed ${info.seed}, learning rate ${info.lr}.`;
  }

  function onMessage(e) {
    const m = e.data;
    switch (m.type) {
      case 'progress': {
        for (let i = 0; i < m.records.length; i += 6) {
          const [step, d, g, dx, dgz, diverged] = m.records.subarray(i, i + 6);
          if (diverged) continue;
          state.history.push({ step, d_loss: d, g_loss: g, d_real: dx, d_fake: dgz });
          losses.add(step, [d, g]);
          outputs.add(step, [dx, dgz]);
        }
        state.info = run = m.info;
        if (m.itPerSec) state.itPerSec = m.itPerSec;
        $('train-rate').textContent = state.itPerSec ? `${state.itPerSec.toFixed(1)} it/s` : '';
        status(describe(m.info));
        break;
      }
      case 'samples': {
        const canvas = $('train-samples');
        canvas.width = m.width, canvas.height = m.height;
        canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(m.pixels.buffer), m.width, m.height), 0, 0);
        state.samplesStep = m.step;
        state.samplesVersion += 1;
        $('train-samples-step').textContent = `step ${m.step}`;
        break;
      }
      case 'started':
        state.info = run = m.info;
        status(`${describe(m.info)} Ready.`);
        break;
      case 'paused':
        running = false;
        state.info = run = m.info;
        status(`${describe(m.info)} ${m.reason === 'done' ? 'Done: Resume trains as many steps again.' : 'Paused.'}`);
        break;
      case 'diverged':
        running = false;
        state.info = run = m.info;
        // The chart keeps the steps after the last good one; drop them so that it shows the state training is in.
        state.history = state.history.filter((r) => r.step <= m.info.step);
        losses.truncate(m.info.step);
        outputs.truncate(m.info.step);
        error(`Training diverged at step ${m.step}: a loss became NaN or infinite. It went back to step ${m.info.step}, ` +
              'the last good state. Resume to try again from there, or Reset and start with a lower learning rate.');
        status(describe(m.info));
        break;
      case 'file': {
        const request = pendingFile;
        pendingFile = null;
        if (request) request(m);
        break;
      }
      case 'error':
        running = false;
        error(m.message);
        break;
      case 'fatal':
        running = false;
        error(`The training worker could not start: ${m.message}`);
        break;
      default:
        break;
    }
    buttons();
  }

  // The digits download (about 10 MB, only when training first starts): a progress bar and megabytes.
  function showDownload({ loaded, total, cached }) {
    state.downloads.push({ loaded, total, cached: !!cached });
    const bar = $('train-download'), mb = (n) => (n / 1e6).toFixed(1);
    bar.hidden = false;
    bar.max = total || loaded || 1;
    bar.value = loaded;
    status(cached ? 'Training digits found in the browser\'s cache; unpacking…'
      : `Fetching the 60,000 training digits: ${mb(loaded)}${total ? ` of ${mb(total)}` : ''} MB…`);
  }

  function ensureWorker() {
    if (workerReady) return workerReady;
    status('Starting the training worker and fetching the training digits…');
    worker = new Worker('train_worker.js');
    workerReady = new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        if (e.data.type === 'download') {
          showDownload(e.data);
        } else if (e.data.type === 'ready') {
          state.images = e.data.images;
          state.digitsCached = e.data.cached;
          $('train-download').hidden = true;
          status(`${e.data.images.toLocaleString('en')} training digits loaded` +
                 `${e.data.cached ? ' from the browser\'s cache' : ' (kept in the browser\'s cache for the next visit)'}.`);
          worker.onmessage = onMessage;
          resolve(worker);
        } else if (e.data.type === 'fatal') {
          error(`The training worker could not start: ${e.data.message}`);
          reject(new Error(e.data.message));
        }
      };
      worker.onerror = (e) => { error(`The training worker failed: ${e.message}`); reject(new Error(e.message)); };
    });
    return workerReady;
  }

  // Posts a message and waits for the worker's next 'started' (or 'error').
  function startRun(message, transfer) {
    return new Promise((resolve) => {
      const previous = worker.onmessage;
      worker.onmessage = (e) => {
        previous(e);
        if (e.data.type === 'started' || e.data.type === 'error') { worker.onmessage = previous; resolve(e.data.type === 'started'); }
      };
      worker.postMessage(message, transfer || []);
    });
  }

  function settings() {
    const seed = Number($('train-seed').value), batch = Number($('train-batch').value), lr = Number($('train-lr').value);
    const steps = Number($('train-steps').value), sampleEvery = Number($('train-sample-every').value);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('The seed must be a whole number from 0 to 2^53 - 1.');
    if (!Number.isInteger(batch) || batch < 1 || batch > 1024) throw new Error('The batch size must be a whole number from 1 to 1024.');
    if (!(lr > 0 && lr <= 1)) throw new Error('The learning rate must be above 0 and at most 1 (the seed uses 0.0002).');
    if (!Number.isInteger(steps) || steps < 1 || steps > 1e6) throw new Error('Steps must be a whole number from 1 to 1,000,000.');
    if (!Number.isInteger(sampleEvery) || sampleEvery < 1) throw new Error('"Samples every" must be a whole number of steps, at least 1.');
    return { seed, batch, lr, steps, sampleEvery };
  }

  function resetCharts() {
    state.history = [];
    state.itPerSec = null;
    losses.clear();
    outputs.clear();
  }

  async function newRun() {
    const s = settings();
    await ensureWorker();
    resetCharts();
    if ($('train-from').value === 'viewer') {
      const { bytes } = hooks.currentGenerator();
      const copy = bytes.slice();
      return startRun({ type: 'from-generator', bytes: copy, seed: s.seed, batch: s.batch, lr: s.lr }, [copy.buffer]);
    }
    const arch = $('train-from').value === 'scratch' ? 'seed' : $('train-from').value;
    return startRun({ type: 'new', arch, seed: s.seed, batch: s.batch, lr: s.lr });
  }

  function go(steps) {
    const s = settings();
    target = run.step + steps;
    running = true;
    error('');
    worker.postMessage({ type: 'run', until: target, sampleEvery: s.sampleEvery });
    buttons();
  }

  const guard = (fn) => async (...args) => {
    try { await fn(...args); } catch (e) { error(e.message); }
    buttons();
  };

  $('train-start').addEventListener('click', guard(async () => {
    error('');
    const s = settings();
    if (await newRun()) go(s.steps);
  }));
  $('train-pause').addEventListener('click', () => worker && worker.postMessage({ type: 'pause' }));
  $('train-resume').addEventListener('click', guard(async () => {
    const s = settings();
    go(run.step < target ? target - run.step : s.steps);
  }));
  $('train-step').addEventListener('click', guard(async () => {
    error('');
    if (!run && !(await newRun())) return;
    worker.postMessage({ type: 'step' });
  }));
  $('train-reset').addEventListener('click', guard(async () => {
    if (running) worker.postMessage({ type: 'pause' });
    running = false;
    run = state.info = null;
    resetCharts();
    status('No run: Start trains a new one with these settings.');
  }));

  function requestFile(kind, purpose) {
    return new Promise((resolve) => { pendingFile = resolve; worker.postMessage({ type: 'file', kind, purpose }); });
  }
  $('train-use').addEventListener('click', guard(async () => {
    const m = await requestFile(0, 'viewer');
    hooks.useGenerator(m.bytes, `trained in this tab, step ${m.step}`);
  }));
  $('train-download-generator').addEventListener('click', guard(async () => {
    const m = await requestFile(0, 'download');
    hooks.download(`generator-step${m.step}.safetensors`, new Blob([m.bytes]));
  }));
  $('train-download-checkpoint').addEventListener('click', guard(async () => {
    const m = await requestFile(1, 'download');
    hooks.download(`checkpoint-step${m.step}.safetensors`, new Blob([m.bytes]));
  }));
  // A checkpoint from the picker or dropped on the panel: training goes on from it (paused until Resume).
  const loadCheckpoint = guard(async (file) => {
    error('');
    if (file.size > MAX_CHECKPOINT_BYTES)
      throw new Error(`${file.name} was not loaded: it is ${(file.size / 1e6).toFixed(0)} MB, and a checkpoint is about 36 MB. The current run is unchanged.`);
    await ensureWorker();
    if (running) worker.postMessage({ type: 'pause' });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const previousRun = run;
    const ok = await startRun({ type: 'from-checkpoint', bytes }, [bytes.buffer]);
    if (!ok) {
      error(`${file.name} was not loaded: ${$('train-error').textContent}. ` +
            (previousRun ? 'The current run is unchanged.' : 'Load a checkpoint.safetensors written by `gan train` or by this page.'));
      return;
    }
    resetCharts();
    target = run.step;
    $('train-seed').value = run.seed, $('train-batch').value = run.batch, $('train-lr').value = run.lr;
    status(`${describe(run)} Loaded ${file.name}: Resume trains on.`);
  });
  $('train-checkpoint').addEventListener('change', () => {
    const file = $('train-checkpoint').files[0];
    $('train-checkpoint').value = '';
    if (file) loadCheckpoint(file);
  });
  $('train').addEventListener('drop', (e) => { if (e.dataTransfer.files[0]) loadCheckpoint(e.dataTransfer.files[0]); });
  buttons();
}
