// The "Find it" worker: its own instance of the core (gan_explore.wasm) searches for the latent vector of a drawn
// digit, off the main thread, so that the page's sliders stay live. Messages in and out are listed in find_panel.js.
/* global createGanExplorer, serveMessages */
// With threads where the page is cross-origin isolated (a worker inherits that), else the variant without (_st).
const GLUE = self.crossOriginIsolated ? 'gan_explore.js' : 'gan_explore_st.js';
importScripts(GLUE, 'worker_messages.js');

let M = null;  // the wasm module
let zDim = 0;  // the loaded generator's latent size
const post = (msg, transfer) => postMessage(msg, transfer || []);
const text = () => M.UTF8ToString(M._explore_text());
const floats = (ptr, n) => M.HEAPF32.slice(ptr >> 2, (ptr >> 2) + n);

function withBytes(bytes, fn) {
  const ptr = M._malloc(Math.max(1, bytes.length));
  if (!ptr) throw new Error(`no room for ${(bytes.length / 1e6).toFixed(1)} MB in the Find-it worker's memory`);
  M.HEAPU8.set(bytes, ptr);
  try { return fn(ptr, bytes.length); } finally { M._free(ptr); }
}

const handlers = {
  // { bytes }: the viewer's generator; the next find searches it.
  load: (m) => {
    if (withBytes(m.bytes, (p, n) => M._explore_load(p, n)) !== 0) throw new Error(text());
    const info = JSON.parse(text());
    zDim = info.z_dim;
    post({ type: 'loaded', info });
  },
  // { restarts }: a short search on a made-up stroke while the user is still drawing, with as many starts as the
  // real one. The browser compiles the wasm quickly first and optimises a function once it runs hot, so without
  // this the user's first search ran at half speed (1.1 s instead of 0.6 s, bench/find_bench.mjs).
  warm: (m) => {
    const bar = new Uint8Array(28 * 28).map((_, i) => (Math.abs((i % 28) - 14) < 2 && i > 140 && i < 640 ? 255 : 0));
    if (withBytes(bar, (p) => M._explore_set_picture(p, 28, 28)) !== 0) throw new Error(text());
    M.onProgress = null;
    if (M._explore_invert(m.restarts, 60, 0.2, 0, 0) !== 0) throw new Error(text());
    post({ type: 'warmed' });
  },
  // { gray, width, height, restarts, steps, lr, seed, postedAt }: the drawing's grey pixels and the search's settings.
  find: (m) => {
    const t0 = performance.now(), waitMs = performance.timeOrigin + t0 - m.postedAt;  // behind earlier messages
    if (withBytes(m.gray, (p) => M._explore_set_picture(p, m.width, m.height)) !== 0) throw new Error(text());
    const target = floats(M._explore_target(), 784);
    post({ type: 'target', target }, [target.buffer]);
    M.onProgress = (done, total) => post({ type: 'progress', done, total });
    if (M._explore_invert(m.restarts, m.steps, m.lr, m.seed, Math.max(1, Math.round(m.steps / 20))) !== 0) throw new Error(text());
    const z = floats(M._explore_z(), zDim), digit = floats(M._explore_redrawn(), 784);
    post({ type: 'found', z, label: M._explore_label(), error: M._explore_error(), digit,
           searchMs: performance.now() - t0, waitMs }, [z.buffer, digit.buffer]);
  },
};

const ready = createGanExplorer({ mainScriptUrlOrBlob: GLUE, print: console.log, printErr: console.warn })
  .then((module) => { M = module; post({ type: 'ready' }); return true; })
  .catch((e) => post({ type: 'fatal', message: `could not start ${GLUE}: ${e.message || e}` }));
serveMessages(ready, handlers, post);
