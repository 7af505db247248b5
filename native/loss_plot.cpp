// Renders the training-curve figure with a tiny software rasteriser and stb_easy_font text.
#include "loss_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

// The header defines everything static; silence warnings for the helpers we do not call.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb/stb_easy_font.h>
#pragma GCC diagnostic pop

namespace gan {
namespace {

constexpr Rgb kText{40, 40, 40}, kFrame{90, 90, 90}, kGrid{228, 228, 228};

struct Rect {
  int x0, y0, x1, y1;
};  // half-open pixel rectangle
struct Range {
  double lo, hi;
};

struct Canvas {
  int w, h;
  std::vector<unsigned char> px;
  std::vector<float> mask;  // coverage scratch, so overlapping line segments do not double-blend

  Canvas(int width, int height)
      : w(width), h(height), px(static_cast<size_t>(width) * height * 3, 255), mask(px.size() / 3, 0.f) {}
  void blend(int x, int y, Rgb c, double a) {
    if (x < 0 || y < 0 || x >= w || y >= h || a <= 0) return;
    unsigned char* p = &px[(static_cast<size_t>(y) * w + x) * 3];
    const unsigned char src[3] = {c.r, c.g, c.b};
    a = std::min(a, 1.0);
    for (int i = 0; i < 3; ++i) p[i] = static_cast<unsigned char>(std::lround(p[i] + (src[i] - p[i]) * a));
  }
  void fill(Rect r, Rgb c, double a = 1.0) {
    for (int y = r.y0; y < r.y1; ++y)
      for (int x = r.x0; x < r.x1; ++x) blend(x, y, c, a);
  }
};

// Adds a round-capped thick segment to the coverage mask; coverage falls off over one pixel (anti-aliasing).
void stroke(Canvas& cv, double x0, double y0, double x1, double y1, double half_width, Rect clip) {
  const double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy, pad = half_width + 1;
  int bx0 = std::max(clip.x0, static_cast<int>(std::floor(std::min(x0, x1) - pad)));
  int bx1 = std::min(clip.x1, static_cast<int>(std::ceil(std::max(x0, x1) + pad)));
  int by0 = std::max(clip.y0, static_cast<int>(std::floor(std::min(y0, y1) - pad)));
  int by1 = std::min(clip.y1, static_cast<int>(std::ceil(std::max(y0, y1) + pad)));
  for (int y = by0; y < by1; ++y) {
    for (int x = bx0; x < bx1; ++x) {
      double px = x + 0.5 - x0, py = y + 0.5 - y0;
      double t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0, 1.0) : 0.0;
      double d = std::hypot(px - t * dx, py - t * dy);
      float cov = static_cast<float>(std::clamp(half_width + 0.5 - d, 0.0, 1.0));
      float& m = cv.mask[static_cast<size_t>(y) * cv.w + x];
      m = std::max(m, cov);
    }
  }
}

void flush_mask(Canvas& cv, Rgb c, Rect clip) {
  for (int y = clip.y0; y < clip.y1; ++y)
    for (int x = clip.x0; x < clip.x1; ++x) {
      float& m = cv.mask[static_cast<size_t>(y) * cv.w + x];
      cv.blend(x, y, c, m);
      m = 0.f;
    }
}

// The font only covers printable ASCII; anything else would index past its tables.
std::string printable(std::string s) {
  for (char& ch : s)
    if (ch < 32 || ch >= 127) ch = '?';
  return s;
}

// stb_easy_font emits axis-aligned quads on a ~6x7 px glyph grid; we scale and fill them.
// `vertical` rotates the text 90 degrees counter-clockwise (for y-axis titles).
void draw_text(Canvas& cv, const std::string& text, int x, int y, int scale, Rgb c, bool vertical = false) {
  std::string s = printable(text);
  std::vector<float> quads(s.size() * 256 + 64);
  int n = stb_easy_font_print(0, 0, &s[0], nullptr, quads.data(), static_cast<int>(quads.size() * sizeof(float)));
  for (int q = 0; q < n; ++q) {
    const float* v = &quads[static_cast<size_t>(q) * 16];  // 4 vertices of x, y, z, rgba
    int qx0 = static_cast<int>(v[0]) * scale, qy0 = static_cast<int>(v[1]) * scale;
    int qx1 = static_cast<int>(v[8]) * scale, qy1 = static_cast<int>(v[9]) * scale;
    if (vertical)
      cv.fill({x + qy0, y - qx1, x + qy1, y - qx0}, c);
    else
      cv.fill({x + qx0, y + qy0, x + qx1, y + qy1}, c);
  }
}

int text_width(const std::string& text, int scale) {
  std::string s = printable(text);
  return stb_easy_font_width(&s[0]) * scale;
}

// Tick spacing of 1, 2 or 5 times a power of ten, giving about `target` ticks.
double nice_step(double span, int target) {
  double raw = span / target, mag = std::pow(10.0, std::floor(std::log10(raw))), f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

std::vector<double> tick_values(Range r, double step) {
  std::vector<double> v;
  if (!std::isfinite(step) || step <= 0) return v;  // absurd data ranges: no ticks rather than a hang
  for (double t = std::ceil(r.lo / step - 1e-9) * step; t <= r.hi + step * 1e-9 && v.size() < 200; t += step)
    v.push_back(t);
  return v;
}

// "12k" instead of "12000" keeps x labels short; decimals follow the tick spacing.
std::string tick_label(double v, double step, double max_abs) {
  double unit = max_abs >= 1e6 ? 1e6 : max_abs >= 1e4 ? 1e3 : 1;
  const char* suffix = unit == 1e6 ? "M" : unit == 1e3 ? "k" : "";
  int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step / unit) + 1e-9)), 0, 6);
  if (std::fabs(v) < step * 1e-6) {  // avoid "-0.0" and "0k"
    v = 0;
    if (unit != 1) return "0";
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f%s", decimals, v / unit, suffix);
  return buf;
}

// Constant data would give a zero-height axis; widen it so the curve sits mid-panel.
Range widen(Range r, double rel_pad, double min_pad) {
  if (!(r.hi > r.lo + 1e-12 * std::max(1.0, std::fabs(r.lo)))) {
    double pad = std::max(std::fabs(r.lo) * 0.1, min_pad);
    return {r.lo - pad, r.hi + pad};
  }
  double pad = (r.hi - r.lo) * rel_pad;
  return {r.lo - pad, r.hi + pad};
}

// Robust y-range: ignore the most extreme 0.5% at each end so one loss spike cannot flatten the plot.
Range value_range(std::vector<double> v) {
  if (v.empty()) return {0, 1};
  size_t cut = v.size() >= 200 ? v.size() / 200 : 0;
  std::nth_element(v.begin(), v.begin() + cut, v.end());
  double lo = v[cut];
  std::nth_element(v.begin(), v.end() - 1 - cut, v.end());
  return widen({lo, v[v.size() - 1 - cut]}, 0.06, 0.05);
}

// Maps data to pixels; results are clamped near the panel so outliers stay valid ints once clipped.
struct Axes {
  Rect r;
  Range x, y;
  static double near(double v, int lo, int hi) { return std::clamp(v, lo - 1e5, hi + 1e5); }
  double px(double v) const { return near(r.x0 + (v - x.lo) / (x.hi - x.lo) * (r.x1 - r.x0), r.x0, r.x1); }
  double py(double v) const { return near(r.y1 - (v - y.lo) / (y.hi - y.lo) * (r.y1 - r.y0), r.y0, r.y1); }
};

// Few points: a plain polyline (plus markers when sparse). Many points: faint raw dots under
// a centred moving average, averaged again per pixel column so the stroke stays clean.
// Returns the number of finite points.
size_t plot_series(Canvas& cv, const Axes& ax, const PlotSeries& s, bool lines) {
  std::vector<double> xs, ys;
  for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
    if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
    xs.push_back(ax.px(s.x[i]));
    ys.push_back(s.y[i]);
  }
  const size_t n = xs.size(), cols = static_cast<size_t>(ax.r.x1 - ax.r.x0);
  if (n == 0) return 0;
  if (n <= cols / 2) {
    if (!lines) return n;
    for (size_t i = 0; i < n; ++i) {
      size_t j = i + 1 < n ? i + 1 : i;
      stroke(cv, xs[i], ax.py(ys[i]), xs[j], ax.py(ys[j]), 1.1, ax.r);
      if (n <= 30) stroke(cv, xs[i], ax.py(ys[i]), xs[i], ax.py(ys[i]), 3.0, ax.r);
    }
    flush_mask(cv, s.colour, ax.r);
    return n;
  }
  if (!lines) {
    double alpha = std::clamp(3.0 * cols / n, 0.05, 0.35);
    for (size_t i = 0; i < n; ++i) {
      double y = ax.py(ys[i]);
      if (y >= ax.r.y0 && y < ax.r.y1) cv.blend(static_cast<int>(xs[i]), static_cast<int>(y), s.colour, alpha);
    }
    return n;
  }
  std::vector<double> prefix(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + ys[i];
  const size_t half = std::max<size_t>(2, n / 150);
  std::vector<double> col_sum(cols, 0.0), col_n(cols, 0.0);
  for (size_t i = 0; i < n; ++i) {
    size_t a = i >= half ? i - half : 0, b = std::min(n, i + half + 1);
    long c = std::clamp(static_cast<long>(xs[i]) - ax.r.x0, 0L, static_cast<long>(cols) - 1);
    col_sum[c] += (prefix[b] - prefix[a]) / (b - a);
    col_n[c] += 1;
  }
  double px = NAN, py = NAN;
  for (size_t c = 0; c < cols; ++c) {
    if (col_n[c] == 0) continue;
    double x = ax.r.x0 + c + 0.5, y = ax.py(col_sum[c] / col_n[c]);
    if (!std::isnan(px)) stroke(cv, px, py, x, y, 1.1, ax.r);
    px = x, py = y;
  }
  if (!std::isnan(px)) stroke(cv, px, py, px, py, 1.1, ax.r);
  flush_mask(cv, s.colour, ax.r);
  return n;
}

struct Tick {
  double at;  // in axis units (log10 of the value on a logarithmic axis)
  std::string label;
};

// Linear: 1, 2 or 5 times a power of ten apart. Logarithmic (the range in log10 units): at 1, 2 and 5 times each
// power of ten, or, over less than one such step, evenly in log units labelled with their values.
std::vector<Tick> y_ticks(Range y, int panel_h, bool log_y) {
  std::vector<Tick> ticks;
  const double step = nice_step(y.hi - y.lo, std::max(3, panel_h / 40));
  if (log_y) {
    char buf[32];
    for (double k = std::floor(y.lo); k <= std::ceil(y.hi) && ticks.size() < 60; ++k)
      for (double m : {1.0, 2.0, 5.0}) {
        const double at = k + std::log10(m);
        if (at < y.lo || at > y.hi) continue;
        std::snprintf(buf, sizeof buf, "%g", m * std::pow(10.0, k));
        ticks.push_back({at, buf});
      }
    if (ticks.size() >= 2) return ticks;
    ticks.clear();
    for (double v : tick_values(y, step)) {
      std::snprintf(buf, sizeof buf, "%.3g", std::pow(10.0, v));
      ticks.push_back({v, buf});
    }
    return ticks;
  }
  for (double v : tick_values(y, step)) ticks.push_back({v, tick_label(v, step, 0)});
  return ticks;
}

int widest_y_label(Range y, int panel_h, bool log_y, int scale) {
  int w = 0;
  for (const Tick& t : y_ticks(y, panel_h, log_y)) w = std::max(w, text_width(t.label, scale));
  return w;
}

// The panel with every y replaced by its log10 (NaN for values <= 0, which the plot skips).
PlotPanel to_log_units(PlotPanel panel) {
  for (PlotSeries& s : panel.series)
    for (double& v : s.y) v = v > 0 ? std::log10(v) : NAN;
  return panel;
}

void draw_axes(Canvas& cv, const Axes& ax, int scale, const std::string& y_title, bool x_title, bool log_y) {
  const Rect& r = ax.r;
  const int th = 7 * scale;  // glyph height
  double xs = nice_step(ax.x.hi - ax.x.lo, std::max(2, (r.x1 - r.x0) / 140));
  double xmax = std::max(std::fabs(ax.x.lo), std::fabs(ax.x.hi));
  for (double v : tick_values(ax.x, xs)) {
    int x = static_cast<int>(std::lround(ax.px(v)));
    cv.fill({x, r.y0, x + 1, r.y1}, kGrid);
    cv.fill({x, r.y1, x + 1, r.y1 + 4}, kFrame);
    std::string t = tick_label(v, xs, xmax);
    draw_text(cv, t, x - text_width(t, scale) / 2, r.y1 + 7, scale, kText);
  }
  for (const Tick& t : y_ticks(ax.y, r.y1 - r.y0, log_y)) {
    int y = static_cast<int>(std::lround(ax.py(t.at)));
    cv.fill({r.x0, y, r.x1, y + 1}, kGrid);
    cv.fill({r.x0 - 4, y, r.x0, y + 1}, kFrame);
    draw_text(cv, t.label, r.x0 - 8 - text_width(t.label, scale), y - th / 2, scale, kText);
  }
  draw_text(cv, y_title, 8, (r.y0 + r.y1 + text_width(y_title, scale)) / 2, scale, kText, true);
  if (x_title) draw_text(cv, "step", (r.x0 + r.x1 - text_width("step", scale)) / 2, r.y1 + 12 + 2 * th, scale, kText);
}

void draw_frame_and_legend(Canvas& cv, Rect r, int scale, const std::string& title, const std::vector<PlotSeries>& s) {
  cv.fill({r.x0, r.y0, r.x1, r.y0 + 1}, kFrame);
  cv.fill({r.x0, r.y1, r.x1, r.y1 + 1}, kFrame);
  cv.fill({r.x0, r.y0, r.x0 + 1, r.y1 + 1}, kFrame);
  cv.fill({r.x1 - 1, r.y0, r.x1, r.y1 + 1}, kFrame);
  const int ty = r.y0 - 9 * scale - 4;
  draw_text(cv, title, r.x0, ty, scale, kText);
  int x = r.x1;
  for (int i = static_cast<int>(s.size()) - 1; i >= 0; --i) {  // right-aligned: lay out from the right edge
    x -= text_width(s[i].name, scale);
    draw_text(cv, s[i].name, x, ty, scale, kText);
    x -= 30;
    Rect whole{0, 0, cv.w, cv.h};
    stroke(cv, x, ty + 3.5 * scale, x + 22, ty + 3.5 * scale, 1.5, whole);
    flush_mask(cv, s[i].colour, whole);
    x -= 18;
  }
}

// `panel` in axis units (log10 of its values when panel.log_y).
void draw_panel(Canvas& cv, const Axes& ax, int scale, const PlotPanel& panel, bool x_title) {
  draw_axes(cv, ax, scale, panel.y_title, x_title, panel.log_y);
  size_t finite = 0;
  for (int pass = 0; pass < 2; ++pass)  // all faint raw data first, so no curve hides under another's dots
    for (const PlotSeries& s : panel.series) finite += plot_series(cv, ax, s, pass == 1);
  draw_frame_and_legend(cv, ax.r, scale, panel.title, panel.series);
  if (finite == 0) {
    const int w = text_width("no data", scale);
    draw_text(cv, "no data", (ax.r.x0 + ax.r.x1 - w) / 2, (ax.r.y0 + ax.r.y1) / 2 - 4 * scale, scale, kFrame);
  }
}

}  // namespace

std::vector<unsigned char> render_panels(const std::vector<PlotPanel>& panels, int width, int height) {
  if (width < 200 || height < 150 || width > 8192 || height > 8192)
    throw std::runtime_error("plot size " + std::to_string(width) + "x" + std::to_string(height) +
                             " is unsupported; use at least 200x150 and at most 8192 per side");
  if (panels.empty() || panels.size() > 4) throw std::runtime_error("a plot has 1 to 4 panels");
  Canvas cv(width, height);
  const int scale = width >= 640 && height >= 400 ? 2 : 1;
  const int th = 7 * scale, right = 16 + 6 * scale;
  const int title_h = 9 * scale + 10, ticks_h = th + 20, bottom_h = th + 14;
  const int count = static_cast<int>(panels.size());
  const int panel_h = (height - count * (title_h + ticks_h) - bottom_h - 8) / count;

  std::vector<double> steps;
  std::vector<Range> ranges;
  std::vector<PlotPanel> in_axis_units;
  for (const PlotPanel& given : panels) {
    const PlotPanel& panel = in_axis_units.emplace_back(given.log_y ? to_log_units(given) : given);
    std::vector<double> values;
    for (const PlotSeries& s : panel.series)
      for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        if (!std::isfinite(s.x[i])) continue;
        steps.push_back(s.x[i]);
        if (std::isfinite(s.y[i])) values.push_back(s.y[i]);
      }
    ranges.push_back(panel.unit_range ? Range{-0.02, 1.02} : value_range(values));
  }
  Range x{0, 1};
  if (!steps.empty()) {
    auto mm = std::minmax_element(steps.begin(), steps.end());
    x = widen({*mm.first, *mm.second}, 0.0, 1.0);
  }
  // Left margin: rotated y title, then the widest tick label of any panel.
  int widest = 0;
  for (size_t i = 0; i < ranges.size(); ++i)
    widest = std::max(widest, widest_y_label(ranges[i], panel_h, panels[i].log_y, scale));
  const int left = 8 + 9 * scale + 10 + widest + 10;
  int y0 = 4 + title_h;
  for (int i = 0; i < count; ++i) {
    Axes axes{{left, y0, width - right, y0 + panel_h}, x, ranges[static_cast<size_t>(i)]};
    draw_panel(cv, axes, scale, in_axis_units[static_cast<size_t>(i)], i + 1 == count);
    y0 += panel_h + ticks_h + title_h;
  }
  return std::move(cv.px);
}

std::vector<unsigned char> render_loss_plot(const std::vector<LossPoint>& points, int width, int height) {
  auto series = [&](const char* name, Rgb colour, double LossPoint::*field) {
    PlotSeries s{name, colour, {}, {}};
    for (const LossPoint& p : points) {
      s.x.push_back(p.step);
      s.y.push_back(p.*field);
    }
    return s;
  };
  return render_panels({{"Losses", "loss",
                         {series("D loss", kDLossColour, &LossPoint::d_loss), series("G loss", kGLossColour, &LossPoint::g_loss)}},
                        {"Mean discriminator output", "D output",
                         {series("D(x)", kDRealColour, &LossPoint::d_real), series("D(G(z))", kDFakeColour, &LossPoint::d_fake)},
                         true}},
                       width, height);
}

}  // namespace gan
