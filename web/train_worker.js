// The training worker: its own instance of the core (gan_train.wasm) trains on the page's digits, off the main
// thread, and posts losses, sample grids and files back. Messages in and out are listed in web/train_panel.js.
/* global createGanTrainer, serveMessages */
// With threads where the page is cross-origin isolated (a worker inherits that), else the variant without (_st).
const GLUE = self.crossOriginIsolated ? 'gan_train.js' : 'gan_train_st.js';
importScripts(GLUE, 'worker_messages.js');

const DIGITS = 'data/train-images-idx3-ubyte.gz';  // MNIST's 60,000 training digits, as `gan train` reads them
const LABELS = 'data/train-labels-idx1-ubyte.gz';  // their labels (28 KB), for the class-conditional models
const DIGITS_CACHE = 'gan-digits-v1';  // Cache Storage: fetched once, kept for the next visit
const SLICE_MS = 50;  // train in slices this long, then let messages (pause, export) in

let M = null;          // the wasm module
let stats = 0;         // wasm buffer for one slice's step records (6 doubles each)
let running = false;
let target = 0;        // train until this step
let sampleEvery = 50;
let lastSamplesStep = -1;
let rateWindow = [];   // [time, step] pairs of the last few seconds, for iterations/s

const post = (msg, transfer) => postMessage(msg, transfer || []);
const text = () => M.UTF8ToString(M._train_text());
const info = () => JSON.parse(M.UTF8ToString(M._train_info()));

function withBytes(bytes, fn) {
  const ptr = M._malloc(Math.max(1, bytes.length));
  if (!ptr) throw new Error(`no room for ${(bytes.length / 1e6).toFixed(1)} MB in the training worker's memory`);
  M.HEAPU8.set(bytes, ptr);
  try { return fn(ptr, bytes.length); } finally { M._free(ptr); }
}

// The digits file's bytes as it is sent (gzip), with 'download' messages as they arrive.
async function download() {
  const response = await fetch(DIGITS);
  if (!response.ok) throw new Error(`could not fetch ${DIGITS} (HTTP ${response.status}); run scripts/setup.sh and rebuild`);
  const total = Number(response.headers.get('Content-Length')) || 0;
  const reader = response.body.getReader(), chunks = [];
  let loaded = 0, lastPost = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (performance.now() - lastPost > 100) {
      lastPost = performance.now();
      post({ type: 'download', loaded, total });
    }
  }
  post({ type: 'download', loaded, total: loaded });
  return new Blob(chunks);
}

// A data file from Cache Storage when an earlier visit kept it, else fetched by `get` and kept (where the browser
// offers Cache Storage: secure contexts, which localhost and https are). Returns { blob, cached }.
async function keptFile(url, get) {
  const cache = self.caches ? await caches.open(DIGITS_CACHE).catch(() => null) : null;
  const kept = cache && await cache.match(url);
  if (kept) return { blob: await kept.blob(), cached: true };
  const blob = await get();
  if (cache) await cache.put(url, new Response(blob, { headers: { 'Content-Type': 'application/gzip' } })).catch(() => {});
  return { blob, cached: false };
}

// The digits, with 'download' messages (one when they come from the cache).
async function digitsFile() {
  const file = await keptFile(DIGITS, download);
  if (file.cached) post({ type: 'download', loaded: file.blob.size, total: file.blob.size, cached: true });
  return file;
}

// The labels (small: no progress messages).
async function labelsFile() {
  const { blob } = await keptFile(LABELS, async () => {
    const response = await fetch(LABELS);
    if (!response.ok) throw new Error(`could not fetch ${LABELS} (HTTP ${response.status}); run scripts/setup.sh and rebuild`);
    return response.blob();
  });
  return blob;
}

const gunzip = async (blob) => new Uint8Array(await new Response(blob.stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());

async function init() {
  let { blob, cached } = await digitsFile();
  let digits;
  try {
    digits = await gunzip(blob);
  } catch (e) {
    if (!cached) throw new Error(`${DIGITS} is not a whole gzip file (${e.message}); run scripts/setup.sh and rebuild`);
    await caches.delete(DIGITS_CACHE);  // a damaged copy in the cache: fetch it again, once
    ({ blob, cached } = await digitsFile());
    digits = await gunzip(blob);
  }
  M = await createGanTrainer({ mainScriptUrlOrBlob: GLUE, print: console.log, printErr: console.warn });
  if (withBytes(digits, (p, n) => M._train_set_data(p, n)) !== 0) throw new Error(text());
  const labels = await gunzip(await labelsFile()).catch((e) => { throw new Error(`${LABELS}: ${e.message}`); });
  if (withBytes(labels, (p, n) => M._train_set_labels(p, n)) !== 0) throw new Error(text());
  stats = M._malloc(6 * 8 * 4096);
  post({ type: 'ready', images: M._train_image_count(), cached });
}

function sendSamples() {
  const ptr = M._train_samples();
  if (!ptr) return post({ type: 'error', message: `could not draw the samples: ${text()}` });
  const w = M._train_samples_width(), h = M._train_samples_height();
  const pixels = M.HEAPU8.slice(ptr, ptr + w * h * 4);
  lastSamplesStep = info().step;
  post({ type: 'samples', width: w, height: h, step: lastSamplesStep, pixels }, [pixels.buffer]);
}

function started(rc) {
  if (rc !== 0) return post({ type: 'error', message: text() });
  rateWindow = [];
  post({ type: 'started', info: info() });
  sendSamples();
}

// Takes up to `steps` steps; posts their records. Returns the run's state after them, or null when the run failed
// or diverged (and went back).
function runSteps(steps) {
  const done = M._train_run(steps, stats);
  if (done < 0) { running = false; post({ type: 'error', message: text() }); return null; }
  const records = M.HEAPF64.slice(stats / 8, stats / 8 + 6 * done);
  const now = performance.now(), state = info();
  rateWindow.push([now, state.step]);
  while (rateWindow.length > 2 && now - rateWindow[0][0] > 3000) rateWindow.shift();
  const [t0, s0] = rateWindow[0];
  const rate = now > t0 && state.step > s0 ? (state.step - s0) / ((now - t0) / 1000) : null;
  const diverged = done > 0 && records[6 * done - 1] === 1, divergedStep = diverged ? records[6 * done - 6] : 0;
  post({ type: 'progress', records, info: state, itPerSec: rate }, [records.buffer]);  // records is gone from here
  if (diverged) {
    running = false;
    post({ type: 'diverged', step: divergedStep, info: state });
    sendSamples();
    return null;
  }
  if (state.step - lastSamplesStep >= sampleEvery) sendSamples();
  return state;
}

function loop() {
  if (!running) return;
  const t0 = performance.now();
  let state = info();
  while (running && state.step < target && performance.now() - t0 < SLICE_MS) {
    state = runSteps(1);
    if (!state) return;
  }
  if (state.step >= target) {
    running = false;
    if (lastSamplesStep !== state.step) sendSamples();
    post({ type: 'paused', reason: 'done', info: state });
    return;
  }
  setTimeout(loop, 0);
}

const handlers = {
  new: (m) => started(withBytes(new TextEncoder().encode(m.arch), (p, n) => M._train_new(p, n, m.seed, m.batch, m.lr))),
  'from-generator': (m) => started(withBytes(m.bytes, (p, n) => M._train_from_generator(p, n, m.seed, m.batch, m.lr))),
  'from-checkpoint': (m) => started(withBytes(m.bytes, (p, n) => M._train_from_checkpoint(p, n))),
  run: (m) => {
    sampleEvery = m.sampleEvery || sampleEvery;
    target = m.until;
    rateWindow = [[performance.now(), info().step]];
    if (!running) { running = true; setTimeout(loop, 0); }
  },
  pause: () => { running = false; post({ type: 'paused', reason: 'pause', info: info() }); },
  step: () => { running = false; if (runSteps(1)) sendSamples(); post({ type: 'paused', reason: 'step', info: info() }); },
  samples: () => sendSamples(),
  file: (m) => {
    const ptr = M._train_file(m.kind);
    if (!ptr) return post({ type: 'error', message: text() });
    const bytes = M.HEAPU8.slice(ptr, ptr + M._train_file_size());
    post({ type: 'file', kind: m.kind, purpose: m.purpose, step: info().step, bytes }, [bytes.buffer]);
  },
  'inject-nan': (m) => M._train_inject_nan_at(m.step),
};

const ready = init().then(() => true, (e) => post({ type: 'fatal', message: String(e.message || e) }));
serveMessages(ready, handlers, post, () => { running = false; });
