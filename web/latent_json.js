// The page's latent JSON ("Download latent JSON") read back: { z: [z_dim numbers], class?: 0-9, ... }, checked
// before it reaches the selected digit. `gan generate --z` reads the same file.

// Returns { z, label } or throws an Error saying what is wrong with the file.
export function parseLatentJson(text, zDim, classes) {
  let json;
  try { json = JSON.parse(text); } catch (e) { throw new Error(`it is not JSON (${e.message})`); }
  if (!json || typeof json !== 'object' || !Array.isArray(json.z))
    throw new Error('it has no "z" list: save one with "Download latent JSON"');
  const z = json.z;
  if (z.length !== zDim) throw new Error(`its "z" holds ${z.length} values, and this generator's latent vector has ${zDim}`);
  if (!z.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new Error('its "z" has values that are not finite numbers');
  let label = null;
  if (json.class !== undefined && classes > 0) {
    if (!Number.isInteger(json.class) || json.class < 0 || json.class >= classes)
      throw new Error(`its class ${JSON.stringify(json.class)} is not one of 0..${classes - 1}`);
    label = json.class;
  }
  return { z, label };
}
