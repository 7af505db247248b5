// The page's controls: loads the wasm core and the shipped weights, wires buttons and the 100 latent sliders to it.
import { parseLatentJson } from './latent_json.js';
import { decodeLink, encodeLink, roundToHalf } from './share_link.js';

const $ = (id) => document.getElementById(id);
const SHIPPED = 'assets/generator-q8.safetensors';
const CONDITIONAL = 'assets/generator-conditional-q8.safetensors';
const DCGAN = 'assets/generator-dcgan-q8.safetensors';
const CONDITIONAL_DCGAN = 'assets/generator-conditional-dcgan-q8.safetensors';
// The generators one click away: their buttons and the model letter a shared link carries (share_link.js).
const SHIPPED_FILES = [
  { path: SHIPPED, link: 's' }, { path: CONDITIONAL, link: 'c', button: 'load-conditional' },
  { path: DCGAN, link: 'd', button: 'load-dcgan' }, { path: CONDITIONAL_DCGAN, link: 'cd', button: 'load-conditional-dcgan' },
];
const SLIDER_RANGE = 3;
const SLIDER_STEP = 0.05;  // arrow keys: 120 steps end to end; Page Up/Down move a tenth of the range
const MAX_UNDO = 200;
const WARM_AFTER_PRESS_MS = 400;  // a click's press to its release, with room to spare

let gan = null;            // the wasm module
let weights = null;        // bytes of the generator in use (kept to restart the grid at another size)
let shippedWeights = null; // the shipped generator's bytes, for "Back to the shipped generator"
let modelName = SHIPPED;
let shownShipped = SHIPPED; // the path of the shipped generator shown, or null for a file of the user's own
let sliders = [];          // one {input, output} per latent dimension
let slidersStale = false;  // the selected digit's vector changed outside the sliders: refresh on the next frame
const undoStack = [];      // { digit, z, label } before each edit of a digit, newest last
let dragging = false;      // a slider drag is under way (one undo entry per drag)
let named = null;          // the named-direction sliders (directions_panel.js), once loaded
let recorder = null;       // the selected digit's walk or interpolation, for "Download GIF"

// Errors show in a box at the bottom of the window, where they are seen wherever the page is scrolled.
function showError(message) {
  const box = $('error');
  box.replaceChildren();
  box.hidden = !message;
  if (!message) return;
  const close = document.createElement('button');
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss this message');
  close.addEventListener('click', () => showError(''));
  box.append(message, close);
}

// Makes an edit to the grid and draws it at once, so the change shows in the control's own event rather than on the
// next animation frame (a user sees it a frame sooner, and a test reading the canvas after a click sees it).
function edit(change) {
  change();
  gan._gan_draw();
}

// Copies bytes into wasm memory for the duration of `fn(pointer, length)`.
function withBytes(bytes, fn) {
  const ptr = gan._malloc(Math.max(1, bytes.length));
  if (!ptr) throw new Error(`no room for ${(bytes.length / 1e6).toFixed(1)} MB in the page's memory`);
  gan.HEAPU8.set(bytes, ptr);
  try { return fn(ptr, bytes.length); } finally { gan._free(ptr); }
}

function latent(i) {
  const n = gan._gan_z_dim();
  const ptr = gan._gan_latent(i) >> 2;
  return Array.from(gan.HEAPF32.subarray(ptr, ptr + n));
}

// Remembers the digit's vector (and class) before an edit, for Undo.
function rememberDigit(i = gan._gan_selected()) {
  undoStack.push({ digit: i, z: latent(i), label: gan._gan_classes() ? gan._gan_label(i) : -1 });
  if (undoStack.length > MAX_UNDO) undoStack.shift();
  $('undo').disabled = false;
}

// Puts `z` (and a class) into the selected digit; false with a message when the core refuses it.
function setSelectedLatent(z, label = -1) {
  const bytes = new Uint8Array(Float32Array.from(z).buffer);
  const rc = withBytes(bytes, (p) => gan._gan_set_latent(p));
  if (rc !== 0) { showError(gan.UTF8ToString(gan._gan_text())); return false; }
  if (label >= 0) gan._gan_set_label(label);
  gan._gan_draw();
  refreshSliders();
  showDigitPicker();
  return true;
}

function undo() {
  const entry = undoStack.pop();
  $('undo').disabled = undoStack.length === 0;
  if (!entry || entry.digit >= gan._gan_count() || entry.z.length !== gan._gan_z_dim()) return;
  gan._gan_select(entry.digit);
  setSelectedLatent(entry.z, entry.label);
}

function buildSliders() {
  const n = gan._gan_z_dim();
  const box = $('sliders');
  box.replaceChildren();
  sliders = [];
  for (let d = 0; d < n; ++d) {
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = d;
    const input = document.createElement('input');
    Object.assign(input, { type: 'range', min: -SLIDER_RANGE, max: SLIDER_RANGE, step: SLIDER_STEP });
    input.dataset.dim = d;
    input.setAttribute('aria-label', `latent dimension ${d}`);
    const output = document.createElement('output');
    input.addEventListener('input', () => {
      if (!dragging) rememberDigit();
      dragging = true;
      const v = Number(input.value);
      edit(() => gan._gan_set_value(d, v));
      slidersStale = false;  // the sliders already show this change
      output.textContent = v.toFixed(2);
    });
    input.addEventListener('change', () => { dragging = false; });
    label.append(name, input, output);
    box.append(label);
    sliders.push({ input, output });
  }
  refreshSliders();
}

function refreshSliders() {
  slidersStale = false;
  if (!sliders.length) return;
  const i = gan._gan_selected();
  $('selected').textContent = i;
  latent(i).forEach((v, d) => {
    // The slider shows the value clamped to its range; the label shows the true value.
    sliders[d].input.value = v;
    sliders[d].output.textContent = v.toFixed(2);
  });
  named?.refresh();
}

// 1468416 -> "1,468,416" (toLocaleString would load the browser's locale data first: tens of ms on a cold start).
const withCommas = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// The generator's facts, each once, in a user's words (the file's metadata and the core's description of it).
function showModel(infoJson) {
  const info = JSON.parse(infoJson), meta = info.metadata;
  const names = {
    'seed-mlp-gan': "the tutorial's MLP GAN", 'conditional-mlp-gan': 'class-conditional MLP GAN',
    'dcgan-gan': 'convolutional GAN (DCGAN)', 'conditional-dcgan-gan': 'class-conditional DCGAN',
  };
  const weights = (meta.weights || '').startsWith('int8') ? '8-bit integers, a scale per row'
    : meta.weights ? meta.weights : null;
  const rows = {
    model: `${names[meta.architecture] || meta.architecture || 'MLP generator'} (${meta.architecture || 'no name in the file'})`,
    'trained on': [meta.dataset, meta.step && `${withCommas(meta.step)} steps`].filter(Boolean).join(', ') || 'not recorded',
    'latent vector': `${info.z_dim} numbers${info.classes ? `, plus the digit's class (0–${info.classes - 1})` : ''}`,
    layers: info.layers,
    parameters: withCommas(info.parameters),
  };
  if (weights) rows['stored as'] = weights;
  const dl = $('model-info');
  dl.replaceChildren();
  for (const [k, v] of Object.entries(rows)) {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    dl.append(dt, dd);
  }
  $('model-name').textContent = modelName;
}

function gridSize() { return Number($('grid').value); }
// A class-conditional generator's grid has a column per class, so each row shows 0-9 drawn from one latent vector.
function gridCols(classes) { return classes > 0 ? classes : gridSize(); }

// The viewer draws at digit resolution (one canvas pixel per digit pixel) and CSS scales the canvas up with
// nearest-neighbour sampling: 9x fewer pixels through the 2D canvas than drawing at 3x, the same crisp squares.
// 6x for a 4-row grid, 3x for 8 rows, at most 900 px wide: a conditional generator's 10 columns at 6x were 1746.
function displayScale() { return Math.max(1, Math.min(gridSize() <= 4 ? 6 : 3, Math.floor(900 / $('canvas').width))); }

// The canvas at that scale, or the largest whole one that fits the window: wide enough, and short enough that the
// controls beside it stay on a laptop's screen. A phone gets the grid across its whole width (a fractional scale:
// pixelated CSS scaling at a phone's 2-3 device pixels per CSS pixel keeps the squares even enough).
function fitCanvas() {
  const canvas = $('canvas');
  const oneColumn = window.matchMedia('(max-width: 1000px)').matches;
  // One column: the grid's own section is as wide as the page. Two: the page less the side padding, the gap and
  // the narrowest the controls' column may be (style.css).
  const room = oneColumn ? canvas.parentElement.clientWidth : document.documentElement.clientWidth - 40 - 16 - 320;
  const tall = window.innerHeight - (canvas.parentElement.getBoundingClientRect().top + window.scrollY) - 56;
  const whole = Math.min(displayScale(), Math.floor(room / canvas.width), Math.max(1, Math.floor(tall / canvas.height)));
  const scale = whole >= 2 || !oneColumn ? Math.max(1, whole) : room / canvas.width;
  canvas.style.width = `${canvas.width * scale}px`;
  canvas.style.height = `${canvas.height * scale}px`;
}

// A new grid for the generator shown (`fromFile`: the first start, which reads the weights file; after that the
// viewer keeps its generator, so a new grid shape reads no file again).
function startGrid(seed, classes = 0, fromFile = false) {
  const side = gridSize();
  const rc = fromFile ? withBytes(weights, (p, n) => gan._gan_start(p, n, gridCols(classes), side, 1, seed))
    : gan._gan_restart(gridCols(classes), side, 1, seed);
  if (rc !== 0) throw new Error(gan.UTF8ToString(gan._gan_text()));
  if (gan._gan_classes() !== classes) return startGrid(seed, gan._gan_classes());  // reshape for this generator
  undoStack.length = 0;
  $('undo').disabled = true;
  // The grid menu names the shape shown: a conditional generator has a column per class.
  for (const option of $('grid').options) option.textContent = `${gridCols(classes)}×${option.value}`;
  fitCanvas();
  showModel(gan.UTF8ToString(gan._gan_text()));
  showDigitPicker();
}

// The digit picker: shown for a class-conditional generator, its pressed button the selected digit's class.
function showDigitPicker() {
  const classes = gan._gan_classes();
  $('digit-picker').hidden = classes === 0;
  const box = $('digit-buttons');
  if (box.children.length !== classes) {
    box.replaceChildren();
    for (let c = 0; c < classes; ++c) {
      const b = document.createElement('button');
      b.textContent = c;
      b.dataset.digit = c;
      b.addEventListener('click', () => { rememberDigit(); edit(() => gan._gan_set_label(c)); showDigitPicker(); });
      box.append(b);
    }
  }
  const label = classes ? gan._gan_label(gan._gan_selected()) : -1;
  for (const b of box.children) b.setAttribute('aria-pressed', String(Number(b.dataset.digit) === label));
}

// A generator of the seed's architecture is 3 MB (F16) or 6 MB (F32); anything far larger is refused unread.
const MAX_FILE_BYTES = 64e6;

async function loadUserFile(file) {
  showError('');
  if (file.size > MAX_FILE_BYTES) {
    showError(`${file.name} was not loaded: it is ${(file.size / 1e6).toFixed(0)} MB, and a generator file is 3-6 MB.\nThe generator in use is unchanged.`);
    return;
  }
  useGenerator(new Uint8Array(await file.arrayBuffer()), file.name);
}

// Shows a generator file in the viewer (from the picker, a drop or the training panel); a bad one changes nothing.
function useGenerator(bytes, name) {
  showError('');
  let rc;
  try {
    rc = withBytes(bytes, (p, n) => gan._gan_load(p, n));
  } catch (e) {
    showError(`${name} was not loaded: ${e.message}.\nThe generator in use is unchanged.`);
    return;
  }
  if (rc !== 0) {
    showError(`${name} was not loaded: ${gan.UTF8ToString(gan._gan_text())}\nThe generator in use is unchanged.`);
    return;
  }
  weights = bytes;
  modelName = `${name} (${(bytes.length / 1e6).toFixed(2)} MB)`;
  const info = gan.UTF8ToString(gan._gan_text());
  // The grid takes a column per class for a conditional generator, and goes back to square without one.
  if (gan._gan_count() !== gridCols(gan._gan_classes()) * gridSize()) startGrid(gan._gan_seed(), gan._gan_classes());
  showModel(info);
  showDigitPicker();
  $('load-shipped').hidden = weights === shippedWeights;
  for (const f of SHIPPED_FILES) if (f.button) $(f.button).hidden = name === f.path;
  if (sliders.length !== gan._gan_z_dim()) buildSliders(); else refreshSliders();
  $('status').textContent = `Loaded ${name}.`;
  $('canvas').scrollIntoView({ block: 'nearest' });  // the new grid in view, wherever the button was
  shownShipped = SHIPPED_FILES.some((f) => f.path === name) ? name : null;
  loadDirections(shownShipped);
}

// The named directions of a shipped generator (its sidecar file); none for a file of the user's own.
function loadDirections(path) {
  named?.forGenerator(path).catch((e) => showError(`The named directions were not loaded: ${e.message}.`));
}

function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// The bytes of a fetched generator file, or an error saying which file and why.
async function responseBytes(r, path) {
  if (!r.ok) throw new Error(`could not fetch ${path} (HTTP ${r.status}); is the page served by web/serve.mjs?`);
  return new Uint8Array(await r.arrayBuffer());
}

// The link to this page with its model, seed, grid and selected digit (with its vector when it was edited).
function shareLink() {
  const shipped = weights === shippedWeights ? SHIPPED_FILES[0]
    : SHIPPED_FILES.find((f) => modelName.startsWith(`${f.path} (`));
  if (!shipped) throw new Error('a link can carry the generators the page ships, not a file of your own');
  const model = shipped.link;
  const i = gan._gan_selected(), classes = gan._gan_classes();
  // The vector as the link carries it (F16): the digit shown is then exactly the one the link opens.
  const seeded = seedLatent(i);
  const edited = latent(i).some((v, d) => v !== seeded[d]);
  let z = null;
  if (edited) {
    z = latent(i).map(roundToHalf);
    setSelectedLatent(z, -1);
  }
  const label = classes ? gan._gan_label(i) : null;
  const fragment = encodeLink({ model, seed: gan._gan_seed(), grid: gridSize(), digit: i, z, label });
  return `${location.href.split('#')[0]}#${fragment}`;
}

// Digit i's vector as its seed draws it (what the grid showed before any edit).
function seedLatent(i) {
  const ptr = gan._gan_seed_latent(i) >> 2;
  return Array.from(gan.HEAPF32.subarray(ptr, ptr + gan._gan_z_dim()));
}

// Opens the state a shared link carries; a bad fragment gets a message and the page as it is.
async function openLink(fragment) {
  let state;
  try {
    state = decodeLink(fragment, gan._gan_z_dim());
  } catch (e) {
    showError(`The link could not be opened: ${e.message}. The page shows its default digits instead.`);
    return;
  }
  const linked = state.model === 's' ? null : SHIPPED_FILES.find((f) => f.link === state.model).path;
  if (linked) useGenerator(await responseBytes(await fetch(linked), linked), linked);
  $('grid').value = String(state.grid);
  $('seed').value = String(state.seed);
  startGrid(state.seed, gan._gan_classes());
  gan._gan_select(state.digit);
  if (state.z) setSelectedLatent(state.z, state.label ?? -1);
  else if (state.label !== null) edit(() => gan._gan_set_label(state.label));
  refreshSliders();
  showDigitPicker();
  $('status').textContent = `Opened a shared link: seed ${state.seed}, digit ${state.digit} selected.`;
}

// A latent JSON from the picker or a drop, into the selected digit.
async function loadLatentFile(file) {
  showError('');
  try {
    if (file.size > 1e6) throw new Error(`it is ${(file.size / 1e6).toFixed(0)} MB, and a latent JSON is a few kB`);
    const text = await file.text();
    if (/"format"\s*:\s*"gan-directions"/.test(text)) {
      named.load(text, file.name);
      $('status').textContent = `Loaded the named directions in ${file.name}.`;
      return;
    }
    const { z, label } = parseLatentJson(text, gan._gan_z_dim(), gan._gan_classes());
    rememberDigit();
    if (setSelectedLatent(z, label ?? -1)) $('status').textContent = `Loaded ${file.name} into digit ${gan._gan_selected()}.`;
  } catch (e) {
    showError(`${file.name} was not loaded: ${e.message}.\nThe selected digit is unchanged.`);
  }
}

// The grid without the selection box, scaled up as shown (nearest neighbour), as a PNG.
function downloadPng() {
  const ptr = gan._gan_grid_image(), w = gan._gan_image_width(), h = gan._gan_image_height();
  const grid = document.createElement('canvas');
  grid.width = w, grid.height = h;
  grid.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(gan.HEAPU8.subarray(ptr, ptr + w * h * 4)), w, h), 0, 0);
  const k = displayScale(), out = document.createElement('canvas');
  out.width = w * k, out.height = h * k;
  const ctx = out.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(grid, 0, 0, out.width, out.height);
  out.toBlob((blob) => download(`digits-seed${gan._gan_seed()}.png`, blob), 'image/png');
}

// The selected digit's last walk or interpolation as an animated GIF.
function downloadGif() {
  if (!recorder || recorder.empty) {
    $('share-status').textContent = 'Start a walk (w) or an interpolation first: the GIF shows the selected digit moving.';
    return;
  }
  try {
    const bytes = recorder.gif();
    download(`digit${recorder.digit}-seed${gan._gan_seed()}.gif`, new Blob([bytes], { type: 'image/gif' }));
    $('share-status').textContent = `Saved a GIF of ${recorder.frames.length} frames.`;
  } catch (e) { showError(`No GIF: ${e.message}.`); }
}

// What the panels loaded after the first digits (named directions, Find it, the GIF recorder) need of the viewer.
function viewerApi() {
  return {
    gan, withBytes, showError, rememberDigit,
    latent: () => latent(gan._gan_selected()),
    selected: () => gan._gan_selected(),
    classes: () => gan._gan_classes(),
    currentGenerator: () => ({ bytes: weights, name: modelName }),
    setLatent: (z) => setSelectedLatent(z, -1),
    useFound: (z, label) => { rememberDigit(); setSelectedLatent(z, label); },
    drawLatents: (z, n, label) => withBytes(new Uint8Array(z.buffer, z.byteOffset, z.byteLength), (p) => {
      const ptr = gan._gan_draw_latents(p, n, label);
      if (!ptr) { showError(gan.UTF8ToString(gan._gan_text())); return null; }
      return gan.HEAPF32.slice(ptr >> 2, (ptr >> 2) + n * 784);
    }),
  };
}

// Keys: Tab and Shift+Tab leave the grid (SDL would keep them), Escape too; Ctrl+Z undoes a digit edit.
function wireKeyboard() {
  window.addEventListener('keydown', (e) => {
    if (e.target !== $('canvas')) return;
    if (e.key === 'Tab') e.stopImmediatePropagation();  // before SDL's handler on the canvas: the browser moves focus
    if (e.key === 'Escape') { e.stopImmediatePropagation(); $('canvas').blur(); }
  }, true);
  document.addEventListener('keydown', (e) => {
    const typing = e.target.matches && e.target.matches('input[type=number], select');
    if ((e.ctrlKey || e.metaKey) && e.key === 'z' && !typing) { e.preventDefault(); undo(); }
  });
}

function wireControls() {
  window.addEventListener('resize', fitCanvas);
  wireKeyboard();
  // A button pressed (pointer or key) is about to bring a new grid: the helper thread polls for it instead of
  // sleeping, since waking it takes 0.3-0.5 ms. Not for sliders: a drag's single digits stay on this thread.
  const warm = (e) => { if (e.target.closest?.('button')) gan._gan_keep_threads_warm(WARM_AFTER_PRESS_MS); };
  for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, warm, { capture: true, passive: true });
  $('grid').addEventListener('change', () => { startGrid(gan._gan_seed(), gan._gan_classes()); buildSliders(); });
  $('class-row').addEventListener('click', () => { edit(() => gan._gan_class_row()); showDigitPicker(); });
  for (const { button, path } of SHIPPED_FILES.filter((f) => f.button)) {
    $(button).addEventListener('click', async () => {
      try {
        useGenerator(await responseBytes(await fetch(path), path), path);
      } catch (e) { showError(`${path} was not loaded: ${e.message}.`); }
    });
  }
  $('load-shipped').addEventListener('click', () => useGenerator(shippedWeights, SHIPPED));
  $('set-seed').addEventListener('click', () => {
    const seed = Number($('seed').value);
    if (!Number.isSafeInteger(seed) || seed < 0) return showError('The seed must be a whole number from 0 to 2^53 - 1.');
    showError('');
    edit(() => gan._gan_set_seed(seed));
  });
  $('seed').addEventListener('keydown', (e) => { if (e.key === 'Enter') $('set-seed').click(); });
  $('randomize-one').addEventListener('click', () => { rememberDigit(); edit(() => gan._gan_randomize_selected()); });
  $('randomize-all').addEventListener('click', () => {
    edit(() => gan._gan_randomize_all());
    $('seed').value = gan._gan_seed();
  });
  $('reset').addEventListener('click', () => { rememberDigit(); edit(() => gan._gan_reset()); });
  $('undo').addEventListener('click', undo);
  $('walk').addEventListener('click', () => { rememberDigit(); gan._gan_animate(1); });
  $('interpolate').addEventListener('click', () => {
    rememberDigit();
    gan._gan_animate(3);
    $('status').textContent = 'Click the digit to interpolate to.';
  });
  $('stop').addEventListener('click', () => {
    gan._gan_animate(0);
    $('status').textContent = 'Stopped.';
  });
  $('share').addEventListener('click', async () => {
    try {
      const link = shareLink();
      history.replaceState(null, '', link);
      await navigator.clipboard.writeText(link).catch(() => {});
      $('share-status').textContent = 'Link copied (it is also in the address bar).';
    } catch (e) { showError(`No link: ${e.message}.`); }
  });
  $('download-png').addEventListener('click', downloadPng);
  $('download-gif').addEventListener('click', downloadGif);
  $('download-json').addEventListener('click', () => {
    const i = gan._gan_selected();
    const json = { generator: modelName, seed: gan._gan_seed(), digit: i, z: latent(i) };
    if (gan._gan_classes()) json.class = gan._gan_label(i);  // a conditional generator draws z as this class
    download(`latent-seed${json.seed}-digit${i}.json`, new Blob([JSON.stringify(json, null, 1)], { type: 'application/json' }));
  });
  $('load-latent').addEventListener('change', (e) => { if (e.target.files[0]) loadLatentFile(e.target.files[0]); e.target.value = ''; });
  $('file').addEventListener('change', (e) => { if (e.target.files[0]) loadUserFile(e.target.files[0]); e.target.value = ''; });
  // Files dropped anywhere on the page: a latent JSON goes into the selected digit, anything else loads as a
  // generator.
  window.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('dragging'); });
  window.addEventListener('dragleave', (e) => { if (!e.relatedTarget) document.body.classList.remove('dragging'); });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    if (e.target.closest && e.target.closest('#train')) return;  // the training panel takes checkpoints
    const file = e.dataTransfer.files[0];
    if (!file) return;
    if (/\.json$/i.test(file.name)) loadLatentFile(file); else loadUserFile(file);
  });
}

// One quiet line on how the page runs: with a helper thread where the host makes it cross-origin isolated, else
// on one thread (every static host without COOP/COEP headers; README, "Publish the page").
function showMode(variant) {
  $('mode').textContent = variant === 'gan_web'
    ? 'Runs on 2 threads (this page is cross-origin isolated).'
    : 'Runs on one thread: this host sends no COOP/COEP headers, which the faster 2-thread mode needs.';
}

// Offline and installable: the service worker keeps this build's files (web/sw.js). Where a newer build's worker
// is waiting, it takes over at once unless a training run would be lost by the reload, which then waits for the
// user's choice.
function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;  // http:// on another host than localhost: no offline use
  const hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => { if (hadController) location.reload(); });
  navigator.serviceWorker.register('sw.js').then((registration) => {
    const offerUpdate = () => {
      const waiting = registration.waiting;
      if (!waiting || !navigator.serviceWorker.controller) return;
      if (!(window.ganTraining && window.ganTraining.info)) return waiting.postMessage('take-over');
      $('share-status').textContent = 'A new version of this page is ready; it loads after you Reset training or reload.';
    };
    offerUpdate();
    registration.addEventListener('updatefound', () => {
      registration.installing?.addEventListener('statechange', offerUpdate);
    });
  }).catch((e) => console.info(`no offline copy: ${e.message}`));
}

async function main() {
  const early = window.ganEarly || {};
  const weightsRequest = (early.weights || fetch(SHIPPED)).then((r) => responseBytes(r, SHIPPED));
  performance.mark('gan:module-start');
  await early.glue;  // the variant's Emscripten glue (createGanModule), started from the page's <head>
  showMode(early.variant);
  gan = await createGanModule({
    canvas: $('canvas'),
    onSelect: () => { refreshSliders(); showDigitPicker(); if ($('status').textContent.startsWith('Click')) $('status').textContent = ''; },
    onLatentChanged: (i) => { if (i === gan._gan_selected()) slidersStale = true; },
    // The wasm was fetched and compiled from the page's <head>: only instantiating is left.
    instantiateWasm: early.module && ((imports, receive) => {
      early.module.then((module) => WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module)))
        .catch((e) => { showError(`Could not load ${early.variant}.wasm: ${e.message}`); });
      return {};
    }),
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
  });
  performance.mark('gan:module-ready');
  weights = shippedWeights = await weightsRequest;
  performance.mark('gan:weights-ready');
  startGrid(Number($('seed').value), 0, true);
  // The digits are in the canvas; they reach the screen with the next frame, before the 100 sliders are built.
  const ms = await new Promise(requestAnimationFrame);
  window.ganFirstDigitsMs = ms;  // read by the benchmark: navigation start to the frame with the first digits
  gan._gan_release_threads();    // the helper thread's Web Worker starts now, not before the first digits
  buildSliders();
  $('status').textContent = `First digits after ${ms.toFixed(0)} ms. Click a digit and drag its sliders.`;
  wireControls();
  if (location.hash.length > 1) await openLink(location.hash);
  const tick = (now) => {
    if (slidersStale && sliders.length) refreshSliders();
    recorder?.sample(now);
    if ($('status').textContent.startsWith('Click the digit') && gan._gan_animation() === 2)
      $('status').textContent = 'Interpolating: Stop (or Space on the canvas) ends it.';
    if ($('status').textContent.startsWith('Interpolating') && gan._gan_animation() === 0) $('status').textContent = 'Stopped.';
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.gan = gan;  // for tests and the curious: the wasm API (see web/gan_web.cpp)
  // The panels' code loads after the first digits: importing it up front held the page's start back
  // (a module's imports are fetched only once it is parsed) by 250-400 ms on a cold load.
  const [{ initTrainPanel }, { initDirections }, { initFindPanel }, { AnimationRecorder }] = await Promise.all(
    [import('./train_panel.js'), import('./directions_panel.js'), import('./find_panel.js'), import('./animation_gif.js')]);
  initTrainPanel({ currentGenerator: () => ({ bytes: weights, name: modelName }), useGenerator, download });
  const viewer = viewerApi();
  recorder = new AnimationRecorder(viewer);
  named = initDirections(viewer);
  initFindPanel(viewer);
  await named.forGenerator(shownShipped).catch((e) => showError(`The named directions were not loaded: ${e.message}.`));
  document.body.dataset.ready = '1';  // every control works from here (the tests wait for it)
  registerServiceWorker();
}

main().catch((e) => {
  $('status').textContent = 'The page could not start.';
  showError(String(e.message || e));
  document.body.dataset.ready = 'error';
});
