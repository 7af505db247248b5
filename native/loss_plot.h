// Training-curve figures (losses, quality scores) against step, as RGB images.
#pragma once

#include <string>
#include <vector>

namespace gan {

struct LossPoint {
  double step;
  double d_loss;
  double g_loss;
  double d_real;  // mean D(x) over the batch, in [0, 1]
  double d_fake;  // mean D(G(z)) over the batch, in [0, 1]
};

struct Rgb {
  unsigned char r, g, b;
};

// Curve colours, exposed so tests and other figures can match them.
inline constexpr Rgb kDLossColour{31, 119, 180};  // blue
inline constexpr Rgb kGLossColour{255, 127, 14};  // orange
inline constexpr Rgb kDRealColour{44, 160, 44};   // green
inline constexpr Rgb kDFakeColour{214, 39, 40};   // red

// One curve: its name in the legend, its colour, and y against x (non-finite points are skipped).
struct PlotSeries {
  std::string name;
  Rgb colour;
  std::vector<double> x, y;
};

// A panel of curves sharing a y axis: fitted to the data (ignoring the extreme 0.5%), or fixed to [0, 1]; on a
// logarithmic axis (ticks at 1, 2 and 5 times powers of ten; values <= 0 skipped) for a quantity that falls over
// orders of magnitude, such as a Frechet distance over a long run.
struct PlotPanel {
  std::string title, y_title;
  std::vector<PlotSeries> series;
  bool unit_range = false;
  bool log_y = false;
};

// 1 to 4 panels stacked, sharing the x axis ("step"). Returns width*height*3 RGB bytes for write_png(..., 3); with
// many points a smoothed curve is drawn over faint raw values. Throws std::runtime_error for sizes under 200x150.
std::vector<unsigned char> render_panels(const std::vector<PlotPanel>& panels, int width = 800, int height = 480);

// Two stacked panels: D and G loss (top), mean D(x) and D(G(z)) on [0, 1] (bottom).
// Returns width*height*3 bytes (RGB, rows top to bottom) for write_png(..., 3).
// Non-finite values are skipped; with many points a smoothed curve is drawn over
// faint raw values. Empty input gives empty axes saying "no data".
// Throws std::runtime_error if width < 200 or height < 150.
std::vector<unsigned char> render_loss_plot(const std::vector<LossPoint>& points, int width = 800, int height = 480);

}  // namespace gan
