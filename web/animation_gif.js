// "Download GIF": records the selected digit's latent vector while it walks or interpolates, and turns the recording
// into an animated GIF through the core (gan_gif).
const FRAME_MS = 40;      // 25 frames/s: browsers show GIF delays under 20 ms as 100 ms
const MAX_FRAMES = 250;   // the last 10 s of a walk
const GIF_SCALE = 4;      // 112x112 pixels

export class AnimationRecorder {
  constructor(viewer) {
    this.viewer = viewer;
    this.frames = [];      // { z, label }, oldest first
    this.digit = -1;
    this.lastMs = -Infinity;
    this.wasAnimating = false;
  }

  // Called every animation frame: a new animation starts a new recording; a running one adds a frame now and then.
  sample(nowMs) {
    const { gan } = this.viewer, animating = gan._gan_animation() !== 0;
    if (animating && (!this.wasAnimating || gan._gan_selected() !== this.digit)) {
      this.frames = [];
      this.digit = gan._gan_selected();
      this.lastMs = -Infinity;
    }
    this.wasAnimating = animating;
    if (!animating || nowMs - this.lastMs < FRAME_MS) return;
    this.lastMs = nowMs;
    this.frames.push({ z: this.viewer.latent(), label: gan._gan_classes() ? gan._gan_label(this.digit) : 0 });
    if (this.frames.length > MAX_FRAMES) this.frames.shift();
  }

  get empty() { return this.frames.length === 0; }

  // The recording as GIF bytes; throws with the core's reason.
  gif() {
    const { gan } = this.viewer, n = this.frames.length, zDim = gan._gan_z_dim();
    if (this.frames.some((f) => f.z.length !== zDim)) throw new Error('the generator changed since the animation was recorded; start it again');
    const z = new Float32Array(n * zDim), labels = new Int32Array(n);
    this.frames.forEach((f, i) => { z.set(f.z, i * zDim); labels[i] = f.label; });
    return this.viewer.withBytes(new Uint8Array(z.buffer), (zp) => this.viewer.withBytes(new Uint8Array(labels.buffer), (lp) => {
      const ptr = gan._gan_gif(zp, lp, n, GIF_SCALE, FRAME_MS / 10);
      if (!ptr) throw new Error(gan.UTF8ToString(gan._gan_text()));
      return gan.HEAPU8.slice(ptr, ptr + gan._gan_bytes_size());
    }));
  }
}
