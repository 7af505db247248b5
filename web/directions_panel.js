// Named directions: a slider per direction that `gan directions` fitted (ink, slant, width, height), the selected
// digit's measure of each, and a strip of what each direction does to it from -3 to +3.
import { drawDigit } from './find_panel.js';

const $ = (id) => document.getElementById(id);
const STRIP_STEPS = [-3, -2, -1, 0, 1, 2, 3];
const STRIP_DELAY_MS = 120;  // strips are redrawn this long after the last change (7 digits per direction)

// "assets/generator-q8.safetensors" -> "assets/generator-q8.directions.json": the sidecar the shipped files carry.
const sidecarOf = (path) => path.replace(/\.safetensors$/, '.directions.json');

// An attribute's measure as people read it.
function formatMeasure(name, value) {
  if (name === 'ink') return `${(100 * value).toFixed(1)}% ink`;
  if (name === 'slant') return `${value >= 0 ? '+' : ''}${value.toFixed(1)}°`;
  return `${value.toFixed(1)} px`;
}

const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);

// `viewer`: the page's wasm API and the selected digit's vector (see app.js).
export function initDirections(viewer) {
  const { gan } = viewer;
  let directions = [];  // { name, z (a unit vector), input, output, measure, strip }
  let stripTimer = 0, dragging = false;

  function build(file) {
    const box = $('named-sliders');
    box.replaceChildren();
    directions = file.directions.map((d) => {
      const row = document.createElement('div');
      row.className = 'named';
      const label = document.createElement('label');
      const name = document.createElement('span');
      name.textContent = d.name;
      name.title = `+2 along it changed the ${d.name} by ${d.change_at_plus_2.toFixed(3)} ${d.unit} and kept the class of ` +
        `${(100 * d.class_kept_at_plus_2).toFixed(0)}% of digits (gan directions, ${file.fitted_on} digits)`;
      const input = document.createElement('input');
      Object.assign(input, { type: 'range', min: -3, max: 3, step: 0.05 });
      input.dataset.direction = d.name;
      input.setAttribute('aria-label', `move the digit along the ${d.name} direction`);
      const output = document.createElement('output');
      const measure = document.createElement('span');
      measure.className = 'measure';
      measure.dataset.attribute = d.name;
      const strip = document.createElement('canvas');
      strip.width = 28 * STRIP_STEPS.length, strip.height = 28;
      strip.className = 'strip';
      strip.setAttribute('aria-label', `the digit moved along ${d.name} from -3 to +3`);
      label.append(name, input, output);
      row.append(label, measure, strip);
      box.append(row);
      const entry = { name: d.name, z: d.z, input, output, measure, strip };
      input.addEventListener('input', () => move(entry, Number(input.value)));
      input.addEventListener('change', () => { dragging = false; scheduleStrips(); });
      return entry;
    });
    $('named').hidden = directions.length === 0;
    refresh();
  }

  // Sets the selected digit's coordinate along the direction (a unit vector) to v, leaving the rest of z as it is.
  function move(d, v) {
    if (!dragging) viewer.rememberDigit();
    dragging = true;
    const z = viewer.latent();
    const by = v - dot(z, d.z);
    viewer.setLatent(z.map((x, i) => x + by * d.z[i]));
  }

  function drawStrips() {
    const z = viewer.latent(), n = STRIP_STEPS.length, zDim = z.length;
    const label = gan._gan_classes() ? gan._gan_label(gan._gan_selected()) : 0;
    const scratch = document.createElement('canvas');
    scratch.width = scratch.height = 28;
    for (const d of directions) {
      const walk = new Float32Array(n * zDim);
      STRIP_STEPS.forEach((t, s) => z.forEach((x, i) => { walk[s * zDim + i] = x + t * d.z[i]; }));
      const digits = viewer.drawLatents(walk, n, label);
      if (!digits) return;
      const ctx = d.strip.getContext('2d');
      for (let s = 0; s < n; ++s) {
        drawDigit(scratch, digits.subarray(784 * s, 784 * (s + 1)));
        ctx.drawImage(scratch, 28 * s, 0);
      }
    }
  }

  function scheduleStrips() {
    clearTimeout(stripTimer);
    stripTimer = setTimeout(() => { if (!dragging) drawStrips(); }, STRIP_DELAY_MS);
  }

  // The sliders and measures for the selected digit as it is now.
  function refresh() {
    if (!directions.length) return;
    $('named-selected').textContent = gan._gan_selected();
    const z = viewer.latent();
    const ptr = gan._gan_attributes(gan._gan_selected()) >> 2;
    const measures = { ink: 0, slant: 1, width: 2, height: 3 };
    for (const d of directions) {
      const v = dot(z, d.z);
      d.input.value = v;
      d.output.textContent = v.toFixed(2);
      const m = measures[d.name];
      d.measure.textContent = m === undefined ? '' : formatMeasure(d.name, gan.HEAPF32[ptr + m]);
    }
    scheduleStrips();
  }

  // The directions for the generator shown: the sidecar of a shipped file, or a directions JSON a user loads.
  // A file that does not belong to the generator is refused with the reason; the page goes on without it.
  function load(text, source) {
    const bytes = new TextEncoder().encode(text);
    const rc = viewer.withBytes(bytes, (p, n) => gan._gan_load_directions(p, n));
    if (rc !== 0) throw new Error(`${source}: ${gan.UTF8ToString(gan._gan_text())}`);
    build(JSON.parse(gan.UTF8ToString(gan._gan_text())));
  }

  async function forGenerator(path) {
    build({ directions: [] });
    if (!path) return;
    const r = await fetch(sidecarOf(path));
    if (r.ok) load(await r.text(), sidecarOf(path));
  }

  return { refresh, load, forGenerator };
}
