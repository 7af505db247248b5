// A small line chart on a canvas for training curves: several series against the step, long histories averaged
// into one point per pixel column, redrawn at most once per animation frame.
export class LineChart {
  // series: [{ name, color }]; range: fixed [min, max] for the y axis, or null to fit the data; yTitle: what the
  // y axis measures (written at the legend's right; the x axis is the training step).
  constructor(canvas, series, range = null, yTitle = '') {
    this.canvas = canvas;
    this.yTitle = yTitle;
    this.series = series;
    this.range = range;
    this.steps = [];
    this.values = series.map(() => []);
    this.pending = false;
  }

  clear() {
    this.steps = [];
    this.values = this.series.map(() => []);
    this.request();
  }

  // Drops the points after `step` (training went back to that step).
  truncate(step) {
    let n = this.steps.length;
    while (n > 0 && this.steps[n - 1] > step) --n;
    this.steps.length = n;
    this.values.forEach((v) => { v.length = n; });
    this.request();
  }

  add(step, values) {
    this.steps.push(step);
    values.forEach((v, i) => this.values[i].push(v));
    this.request();
  }

  get length() { return this.steps.length; }

  request() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  // Averages of each series over `bins` equal runs of points (the chart's resolution is one point per column).
  binned(bins) {
    const n = this.steps.length, per = Math.max(1, Math.ceil(n / bins));
    const out = { steps: [], values: this.series.map(() => []) };
    for (let start = 0; start < n; start += per) {
      const end = Math.min(n, start + per);
      out.steps.push(this.steps[end - 1]);
      this.values.forEach((vals, s) => {
        let sum = 0, count = 0;
        for (let i = start; i < end; ++i) if (Number.isFinite(vals[i])) { sum += vals[i]; ++count; }
        out.values[s].push(count ? sum / count : NaN);
      });
    }
    return out;
  }

  draw() {
    const { canvas } = this, ctx = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height, left = 38, right = 8, top = 18, bottom = 16;
    ctx.fillStyle = '#1b1e26';
    ctx.fillRect(0, 0, w, h);
    ctx.font = '10px ui-monospace, monospace';
    // Legend.
    let x = left;
    this.series.forEach((s) => {
      ctx.fillStyle = s.color;
      ctx.fillRect(x, 6, 10, 3);
      ctx.fillStyle = '#c8ccd6';
      ctx.fillText(s.name, x + 13, 11);
      x += ctx.measureText(s.name).width + 26;
    });
    ctx.fillStyle = '#9aa0ad';
    if (this.yTitle) ctx.fillText(this.yTitle, w - right - ctx.measureText(this.yTitle).width, 11);
    ctx.fillText('step', (w - ctx.measureText('step').width) / 2, h - 4);
    const data = this.binned(w - left - right);
    canvas.dataset.points = String(this.steps.length);
    if (!data.steps.length) return;
    let lo = Infinity, hi = -Infinity;
    if (this.range) [lo, hi] = this.range;
    else data.values.flat().forEach((v) => { if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
    if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
    const s0 = this.steps[0], s1 = Math.max(this.steps[this.steps.length - 1], s0 + 1);
    const px = (s) => left + ((s - s0) / (s1 - s0)) * (w - left - right);
    const py = (v) => top + (1 - (v - lo) / (hi - lo)) * (h - top - bottom);
    // Axes and labels: y range, first and last step.
    ctx.strokeStyle = '#3a3f4b';
    ctx.strokeRect(left, top, w - left - right, h - top - bottom);
    ctx.fillStyle = '#9aa0ad';
    ctx.fillText(hi.toPrecision(3), 2, top + 8);
    ctx.fillText(lo.toPrecision(3), 2, h - bottom);
    ctx.fillText(String(s0), left, h - 4);
    const last = String(this.steps[this.steps.length - 1]);
    ctx.fillText(last, w - right - ctx.measureText(last).width, h - 4);
    data.values.forEach((vals, s) => {
      ctx.strokeStyle = this.series[s].color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let pen = false;
      vals.forEach((v, i) => {
        if (!Number.isFinite(v)) { pen = false; return; }
        const X = px(data.steps[i]), Y = py(Math.min(hi, Math.max(lo, v)));
        if (pen) ctx.lineTo(X, Y); else ctx.moveTo(X, Y);
        pen = true;
      });
      ctx.stroke();
    });
  }
}
