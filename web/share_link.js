// The state a shared link carries in the URL fragment, and back: the model (one of the four shipped), the grid's
// seed and size, the selected digit, and its latent vector (F16, base64url) and class when it was edited.
// Example: #m=s&seed=42&grid=8&d=10&z=AbC...  A fragment that is malformed in any way is refused with a message.

export const LINK_MODELS = { s: 'shipped', c: 'conditional', d: 'DCGAN', cd: 'conditional DCGAN' };
const CONDITIONAL = new Set(['c', 'cd']);  // a column per class, and a class per digit
const MAX_FRAGMENT = 2048;  // a link with a 100-value vector is about 300 characters

// IEEE half precision, round to nearest even, as the safetensors F16 weights use.
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
export function toHalf(value) {
  f32[0] = value;
  const x = u32[0], sign = (x >>> 16) & 0x8000, exp = (x >>> 23) & 0xff, mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000, shift = 14 - e;
    let h = m >> shift;
    const rest = m & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rest > half || (rest === half && (h & 1))) ++h;
    return sign | h;
  }
  let h = (e << 10) | (mant >> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) ++h;
  return sign | h;
}
export function fromHalf(h) {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
// The value a link can carry exactly: `value` rounded to F16.
export const roundToHalf = (value) => fromHalf(toHalf(value));

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the latent vector has characters that base64url does not use');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - text.length % 4) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

// state: { model: 's' | 'c' | 'd' | 'cd', seed, grid, digit, z (array or null), label (or null) } -> "m=s&seed=..."
export function encodeLink({ model, seed, grid, digit, z, label }) {
  const params = new URLSearchParams({ m: model, seed: String(seed), grid: String(grid), d: String(digit) });
  if (z) {
    const bytes = new Uint8Array(z.length * 2);
    z.forEach((v, i) => { const h = toHalf(v); bytes[2 * i] = h & 0xff; bytes[2 * i + 1] = h >> 8; });
    params.set('z', base64url(bytes));
  }
  if (label !== null && label !== undefined) params.set('c', String(label));
  return params.toString();
}

const wholeNumber = (text, name, min, max) => {
  if (!/^\d{1,16}$/.test(text ?? '')) throw new Error(`${name} is not a whole number`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`${name} ${text} is outside ${min}..${max}`);
  return n;
};

// "#m=s&..." -> the state, or throws an Error saying what is wrong. zDim: the latent size the link's z must have.
export function decodeLink(fragment, zDim) {
  const text = fragment.replace(/^#/, '');
  if (text.length > MAX_FRAGMENT) throw new Error(`it is ${text.length} characters long, far more than a link of this page`);
  const p = new URLSearchParams(text);
  const known = new Set(['m', 'seed', 'grid', 'd', 'z', 'c']);
  for (const key of p.keys()) if (!known.has(key)) throw new Error(`it has an unknown part "${key.slice(0, 20)}"`);
  const model = p.get('m');
  if (!Object.hasOwn(LINK_MODELS, model ?? '')) {
    throw new Error('its model is none of the shipped (m=s), the conditional (m=c), the DCGAN (m=d) and the conditional DCGAN (m=cd) generators');
  }
  const seed = wholeNumber(p.get('seed'), 'its seed', 0, Number.MAX_SAFE_INTEGER);
  const grid = wholeNumber(p.get('grid'), 'its grid size', 4, 8);
  if (grid !== 4 && grid !== 8) throw new Error(`its grid size ${grid} is neither 4 nor 8`);
  const count = (CONDITIONAL.has(model) ? 10 : grid) * grid;
  const digit = wholeNumber(p.get('d'), 'its digit', 0, count - 1);
  let z = null;
  if (p.has('z')) {
    const bytes = fromBase64url(p.get('z'));
    if (bytes.length !== 2 * zDim) throw new Error(`its latent vector holds ${bytes.length / 2} values, not ${zDim}`);
    z = Array.from({ length: zDim }, (_, i) => fromHalf(bytes[2 * i] | (bytes[2 * i + 1] << 8)));
    if (!z.every(Number.isFinite)) throw new Error('its latent vector has values that are not finite numbers');
  }
  let label = null;
  if (p.has('c')) {
    if (!CONDITIONAL.has(model)) throw new Error(`it gives a class, but the ${LINK_MODELS[model]} generator has none`);
    label = wholeNumber(p.get('c'), 'its class', 0, 9);
  }
  return { model, seed, grid, digit, z, label };
}
