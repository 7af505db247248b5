// Digits drawn by GridRenderer into an RGBA image in memory (an SDL software surface): the page's
// training worker paints its sample grid this way, with no window or canvas of its own.
#pragma once
#include <cstdint>
#include <vector>

#include "grid_layout.h"
#include "tensor.h"

namespace gan {

struct RgbaImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // width * height * 4 bytes: R, G, B, A
};

// Every digit (a row of [count, 784] `digits` in [-1, 1]) in `layout`, nothing selected. Throws
// std::runtime_error when SDL cannot make the surface.
RgbaImage render_grid_image(const Matrix& digits, GridLayout layout);

}  // namespace gan
