// Grid rendering for PNG grids and GIF frames.
#include "image_grid.h"

#include <algorithm>
#include <stdexcept>

namespace gan {

GrayImage render_grid(const Matrix& samples, int cols, int scale, int gap) {
  if (samples.cols() != 784) throw std::invalid_argument("render_grid: samples must have 784 pixels");
  if (cols < 1 || scale < 1 || gap < 0) throw std::invalid_argument("render_grid: bad layout");
  const int n = static_cast<int>(samples.rows());
  const int rows = std::max(1, (n + cols - 1) / cols);
  const int cell = 28 * scale;
  GrayImage img;
  img.width = cols * cell + (cols + 1) * gap;
  img.height = rows * cell + (rows + 1) * gap;
  img.pixels.assign(static_cast<size_t>(img.width) * img.height, 40);  // dark grey border between digits
  for (int k = 0; k < n; ++k) {
    const int x0 = gap + (k % cols) * (cell + gap), y0 = gap + (k / cols) * (cell + gap);
    for (int y = 0; y < cell; ++y)
      for (int x = 0; x < cell; ++x)
        img.pixels[static_cast<size_t>(y0 + y) * img.width + x0 + x] = to_gray(samples(k, (y / scale) * 28 + x / scale));
  }
  return img;
}

}  // namespace gan
