// "Find a digit": a drawing pad (mouse, pen or finger) or a picture, and the search for the latent vector whose digit
// is closest to it, in a Web Worker (explore_worker.js) so the sliders stay live.
// Worker messages in: load { bytes }, warm { restarts }, find { gray, width, height, restarts, steps, lr, seed,
// postedAt }.
// Out: ready, fatal { message }, loaded { info }, warmed, target { target }, progress { done, total },
//      found { z, label, error, digit, searchMs, waitMs }, error { message }.

const $ = (id) => document.getElementById(id);
const PAD_INK = '#fff';  // white on black, as MNIST's digits are (a picture of either polarity is fine too)
const MAX_PICTURE_PIXELS = 1 << 24;  // 16 megapixels: the core's limit (src/digit_image.h)
const MAX_PICTURE_BYTES = 50e6;

// The search's settings. "Quick" was chosen as the fastest that comes within 10% of "thorough"'s error
// (docs/explore.md): 4 starts x 600 steps; a class-conditional generator tries each start as every class, so it
// gets one start per class instead.
export const SEARCHES = {
  quick: (classes) => ({ restarts: classes ? 1 : 4, steps: 600, lr: 0.2 }),
  thorough: () => ({ restarts: 16, steps: 1000, lr: 0.05 }),
};

// Draws 784 pixels in [-1, 1] into a 28x28 canvas.
export function drawDigit(canvas, pixels) {
  const image = new ImageData(28, 28);
  pixels.forEach((v, i) => {
    const g = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
    image.data.set([g, g, g, 255], 4 * i);
  });
  canvas.getContext('2d').putImageData(image, 0, 0);
}

// A PNG that animates (an acTL chunk before its first image data) is refused, as `gan invert` refuses it.
function isAnimatedPng(bytes) {
  const png = [0x89, 0x50, 0x4e, 0x47];
  if (!png.every((b, i) => bytes[i] === b)) return false;
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at).getUint32(0);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === 'acTL') return true;
    if (type === 'IDAT') return false;
    at += 12 + length;
  }
  return false;
}

// The drawing: strokes of points, drawn again whole after each change (a few hundred points: cheap).
class DrawingPad {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.strokes = [];
    this.cleared = null;  // the strokes before the last Clear, for Undo
    this.picture = null;  // a loaded picture: { gray, width, height, bitmap }
    this.width = 20;
    this.onStart = () => {};  // a stroke begins: the search's worker can warm up while the user draws
    this.listen();
    this.redraw();
  }

  get empty() { return this.strokes.length === 0 && !this.picture; }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * this.canvas.width / r.width, (e.clientY - r.top) * this.canvas.height / r.height];
  }

  listen() {
    let stroke = null;
    this.canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      this.onStart();
      this.canvas.setPointerCapture(e.pointerId);
      if (this.picture) this.picture = null;  // drawing starts a new digit
      stroke = { width: this.width, points: [this.point(e)] };
      this.strokes.push(stroke);
      this.cleared = null;
      this.redraw();
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!stroke) return;
      for (const ev of e.getCoalescedEvents ? e.getCoalescedEvents() : [e]) stroke.points.push(this.point(ev));
      this.redraw();
    });
    const end = () => { stroke = null; };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
  }

  redraw() {
    const { ctx, canvas } = this;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (this.picture) {
      const { bitmap } = this.picture, k = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(bitmap, (canvas.width - bitmap.width * k) / 2, (canvas.height - bitmap.height * k) / 2,
                    bitmap.width * k, bitmap.height * k);
    }
    ctx.strokeStyle = ctx.fillStyle = PAD_INK;
    ctx.lineCap = ctx.lineJoin = 'round';
    for (const { width, points } of this.strokes) {
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(...points[0]);
      if (points.length === 1) ctx.arc(points[0][0], points[0][1], width / 2, 0, 2 * Math.PI);  // a dot
      for (const p of points.slice(1)) ctx.lineTo(...p);
      if (points.length === 1) ctx.fill(); else ctx.stroke();
    }
  }

  undo() {
    if (this.strokes.length) this.strokes.pop();
    else if (this.cleared) [this.strokes, this.picture, this.cleared] = [this.cleared.strokes, this.cleared.picture, null];
    this.redraw();
  }

  clear() {
    if (!this.empty) this.cleared = { strokes: this.strokes, picture: this.picture };
    this.strokes = [];
    this.picture = null;
    this.redraw();
  }

  // The digit as grey values (0..255) for the core: the picture at its own size, else the pad's pixels.
  gray() {
    if (this.picture) return this.picture;
    const { width, height } = this.canvas, rgba = this.ctx.getImageData(0, 0, width, height).data;
    const gray = new Uint8Array(width * height);
    for (let i = 0; i < gray.length; ++i) gray[i] = rgba[4 * i];
    return { gray, width, height };
  }

  // A picture file: its size checked from its header before it is decoded, flattened onto white (transparent
  // parts are paper), made grey. Throws an Error saying what is wrong.
  async loadPicture(file) {
    if (file.size === 0) throw new Error('the file is empty');
    if (file.size > MAX_PICTURE_BYTES) throw new Error(`it is ${(file.size / 1e6).toFixed(0)} MB; a picture of a digit is far smaller`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (isAnimatedPng(bytes)) throw new Error('it is an animated PNG; save one frame as a still picture');
    const url = URL.createObjectURL(new Blob([bytes]));
    const img = new Image();
    try {
      await new Promise((ok, fail) => { img.onload = ok; img.onerror = () => fail(new Error('it is not a picture the browser can read (PNG, JPEG, GIF, BMP or WebP)')); img.src = url; });
      const { naturalWidth: width, naturalHeight: height } = img;
      if (width * height > MAX_PICTURE_PIXELS) throw new Error(`it is ${width}x${height} pixels; use a picture of at most 16 megapixels`);
      const canvas = new OffscreenCanvas(width, height), ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, width, height);
      ctx.drawImage(img, 0, 0);
      const rgba = ctx.getImageData(0, 0, width, height).data, gray = new Uint8Array(width * height);
      for (let i = 0; i < gray.length; ++i) gray[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
      this.cleared = this.empty ? null : { strokes: this.strokes, picture: this.picture };
      this.strokes = [];
      this.picture = { gray, width, height, bitmap: await createImageBitmap(canvas) };
      this.redraw();
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}

// Wires the panel. `viewer` gives the generator in use and puts a found vector into the selected digit.
export function initFindPanel(viewer) {
  const pad = new DrawingPad($('pad'));
  let worker = null, sentGenerator = null, busy = false, startedAt = 0;
  const status = (t) => { $('find-status').textContent = t; };
  const problem = (t) => { status(''); viewer.showError(t); };
  const setBusy = (on) => {
    busy = on;
    $('find-it').disabled = on;
    $('find-progress').hidden = !on;
  };
  $('pad-width').addEventListener('change', (e) => { pad.width = Number(e.target.value); });
  pad.width = Number($('pad-width').value);
  $('pad-undo').addEventListener('click', () => pad.undo());
  $('pad-clear').addEventListener('click', () => pad.clear());

  // The worker, started on the first stroke (its wasm compiles while the user draws), with the viewer's generator.
  function readyWorker() {
    if (!worker) {
      window.ganFindTimes = { started: performance.now() };  // for bench/find_bench.mjs: how long the worker takes to be ready
      worker = new Worker('explore_worker.js');
      worker.onmessage = (e) => handle(e.data);
      worker.onerror = (e) => { setBusy(false); problem(`The Find-it worker failed: ${e.message || 'it could not start'}.`); worker = null; };
      sentGenerator = null;
    }
    const { bytes } = viewer.currentGenerator();
    if (sentGenerator !== bytes) {
      worker.postMessage({ type: 'load', bytes: bytes.slice() });
      worker.postMessage({ type: 'warm', restarts: SEARCHES.quick(viewer.classes()).restarts });
      sentGenerator = bytes;
    }
  }
  pad.onStart = readyWorker;

  function handle(m) {
    if (m.type === 'fatal' || m.type === 'error') {
      setBusy(false);
      if (m.type === 'fatal') worker = null;
      return problem(`Find it: ${m.message.replace(/\.$/, '')}. The digits and sliders are unchanged.`);
    }
    if (m.type === 'loaded' || m.type === 'warmed') window.ganFindTimes = { ...window.ganFindTimes, [m.type]: performance.now() };
    if (m.type === 'target') drawDigit($('find-target'), m.target);
    if (m.type === 'progress') $('find-progress').value = m.done / m.total;
    if (m.type === 'found') {
      setBusy(false);
      m.ms = performance.now() - startedAt;  // what the user waited: from the click to the digit in the grid
      drawDigit($('find-match'), m.digit);
      viewer.useFound(m.z, m.label);
      const cls = m.label >= 0 ? ` as class ${m.label}` : '';
      status(`Found${cls} in ${(m.ms / 1000).toFixed(2)} s: mean squared error ${m.error.toFixed(4)} (pixels from −1 to 1). ` +
             `It is now digit ${viewer.selected()} of the grid, its vector in the sliders.`);
      window.ganLastFind = m;  // for tests and the curious: the last search's result and time
    }
  }

  function find() {
    if (busy) return;
    if (pad.empty) return status('Draw a digit first (or load a picture of one).');
    viewer.showError('');
    readyWorker();
    const { gray, width, height } = pad.gray();
    const effort = $('find-effort').value;
    const settings = SEARCHES[effort](viewer.classes());
    setBusy(true);
    startedAt = performance.now();
    $('find-progress').value = 0;
    status(`Searching: ${settings.restarts} start${settings.restarts > 1 ? 's' : ''}${viewer.classes() ? ' per class' : ''} × ${settings.steps} steps…`);
    worker.postMessage({ type: 'find', gray: gray.slice(), width, height, ...settings, seed: 0,
                         postedAt: performance.timeOrigin + performance.now() });
  }

  $('find-it').addEventListener('click', find);
  $('pad-picture').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    readyWorker();
    try {
      await pad.loadPicture(file);
      status(`Loaded ${file.name}.`);
      find();
    } catch (err) {
      problem(`${file.name} was not loaded: ${err.message}. The drawing is unchanged.`);
    }
  });
}
