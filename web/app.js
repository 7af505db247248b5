// The page's controls: loads the wasm core and the shipped weights, wires buttons and the 100 latent sliders to it.
const $ = (id) => document.getElementById(id);
const SHIPPED = 'assets/generator-q8.safetensors';
const CONDITIONAL = 'assets/generator-conditional-q8.safetensors';
const SLIDER_RANGE = 3;

let gan = null;            // the wasm module
let weights = null;        // bytes of the generator in use (kept to restart the grid at another size)
let shippedWeights = null; // the shipped generator's bytes, for "Back to the shipped generator"
let modelName = SHIPPED;
let sliders = [];          // one {input, output} per latent dimension
let slidersStale = false;  // the selected digit's vector changed outside the sliders: refresh on the next frame

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
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
    Object.assign(input, { type: 'range', min: -SLIDER_RANGE, max: SLIDER_RANGE, step: 0.01 });
    input.dataset.dim = d;
    input.setAttribute('aria-label', `latent dimension ${d}`);
    const output = document.createElement('output');
    input.addEventListener('input', () => {
      const v = Number(input.value);
      edit(() => gan._gan_set_value(d, v));
      slidersStale = false;  // the sliders already show this change
      output.textContent = v.toFixed(2);
    });
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
}

// 1468416 -> "1,468,416" (toLocaleString would load the browser's locale data first: tens of ms on a cold start).
const withCommas = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function showModel(infoJson) {
  const info = JSON.parse(infoJson);
  const rows = { 'latent size': info.z_dim, layers: info.widths.join(' → '), parameters: withCommas(info.parameters) };
  for (const [k, v] of Object.entries(info.metadata)) rows[k] = v;
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

// The canvas at that scale, or the largest whole one that fits a narrower window.
function fitCanvas() {
  const canvas = $('canvas');
  const room = document.documentElement.clientWidth - 40;  // the page's side padding
  const scale = Math.max(1, Math.min(displayScale(), Math.floor(room / canvas.width)));
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
      b.addEventListener('click', () => { edit(() => gan._gan_set_label(c)); showDigitPicker(); });
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
  $('load-conditional').hidden = name === CONDITIONAL;
  if (sliders.length !== gan._gan_z_dim()) buildSliders(); else refreshSliders();
  $('status').textContent = `Loaded ${name}.`;
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

function wireControls() {
  window.addEventListener('resize', fitCanvas);
  $('grid').addEventListener('change', () => { startGrid(gan._gan_seed(), gan._gan_classes()); buildSliders(); });
  $('class-row').addEventListener('click', () => edit(() => gan._gan_class_row()));
  $('load-conditional').addEventListener('click', async () => {
    try {
      useGenerator(await responseBytes(await fetch(CONDITIONAL), CONDITIONAL), CONDITIONAL);
    } catch (e) { showError(`${CONDITIONAL} was not loaded: ${e.message}.`); }
  });
  $('load-shipped').addEventListener('click', () => useGenerator(shippedWeights, SHIPPED));
  $('set-seed').addEventListener('click', () => {
    const seed = Number($('seed').value);
    if (!Number.isSafeInteger(seed) || seed < 0) return showError('The seed must be a whole number from 0 to 2^53 - 1.');
    showError('');
    edit(() => gan._gan_set_seed(seed));
  });
  $('seed').addEventListener('keydown', (e) => { if (e.key === 'Enter') $('set-seed').click(); });
  $('randomize-one').addEventListener('click', () => edit(() => gan._gan_randomize_selected()));
  $('randomize-all').addEventListener('click', () => {
    edit(() => gan._gan_randomize_all());
    $('seed').value = gan._gan_seed();
  });
  $('reset').addEventListener('click', () => edit(() => gan._gan_reset()));
  $('walk').addEventListener('click', () => gan._gan_animate(1));
  $('interpolate').addEventListener('click', () => {
    gan._gan_animate(3);
    $('status').textContent = 'Click the digit to interpolate to.';
  });
  $('stop').addEventListener('click', () => gan._gan_animate(0));
  $('download-png').addEventListener('click', () => {
    // The image as shown: scaled up with nearest-neighbour sampling, not the canvas's digit-resolution pixels.
    const src = $('canvas'), k = displayScale(), out = document.createElement('canvas');
    out.width = src.width * k, out.height = src.height * k;
    const ctx = out.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(src, 0, 0, out.width, out.height);
    out.toBlob((blob) => download(`digits-seed${gan._gan_seed()}.png`, blob), 'image/png');
  });
  $('download-json').addEventListener('click', () => {
    const i = gan._gan_selected();
    const json = { generator: modelName, seed: gan._gan_seed(), digit: i, z: latent(i) };
    if (gan._gan_classes()) json.class = gan._gan_label(i);  // a conditional generator draws z as this class
    download(`latent-seed${json.seed}-digit${i}.json`, new Blob([JSON.stringify(json, null, 1)], { type: 'application/json' }));
  });
  $('file').addEventListener('change', (e) => { if (e.target.files[0]) loadUserFile(e.target.files[0]); e.target.value = ''; });
  // Files dropped anywhere on the page load as a generator.
  window.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('dragging'); });
  window.addEventListener('dragleave', (e) => { if (!e.relatedTarget) document.body.classList.remove('dragging'); });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    if (e.target.closest && e.target.closest('#train')) return;  // the training panel takes checkpoints
    if (e.dataTransfer.files[0]) loadUserFile(e.dataTransfer.files[0]);
  });
}

// One quiet line on how the page runs: with a helper thread where the host makes it cross-origin isolated, else
// on one thread (every static host without COOP/COEP headers; README, "Publish the page").
function showMode(variant) {
  $('mode').textContent = variant === 'gan_web'
    ? 'Runs on 2 threads (this page is cross-origin isolated).'
    : 'Runs on one thread: this host sends no COOP/COEP headers, which the faster 2-thread mode needs.';
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
  document.body.dataset.ready = '1';
  wireControls();
  const tick = () => {
    if (slidersStale && sliders.length) refreshSliders();
    if ($('status').textContent.startsWith('Click the digit') && gan._gan_animation() === 2)
      $('status').textContent = 'Interpolating: Stop (or Space on the canvas) ends it.';
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.gan = gan;  // for tests and the curious: the wasm API (see web/gan_web.cpp)
  // The training panel's code loads after the first digits: importing it up front held the page's start back
  // (a module's imports are fetched only once it is parsed) by 250-400 ms on a cold load.
  const { initTrainPanel } = await import('./train_panel.js');
  initTrainPanel({ currentGenerator: () => ({ bytes: weights, name: modelName }), useGenerator, download });
}

main().catch((e) => {
  $('status').textContent = 'The page could not start.';
  showError(String(e.message || e));
  document.body.dataset.ready = 'error';
});
