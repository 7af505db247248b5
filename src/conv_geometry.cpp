// im2col and col2im, row by row of the column matrix so that the inner loop walks memory in order.
#include "conv_geometry.h"

#include <algorithm>

namespace gan {

bool ConvGeometry::valid() const {
  return channels > 0 && height > 0 && width > 0 && kernel > 0 && stride > 0 && padding >= 0 &&
         height + 2 * padding >= kernel && width + 2 * padding >= kernel;
}

namespace {

// Calls fn(cols_row, image_plane, ky, kx) for every row of the column matrix.
template <class Fn>
void for_each_patch_row(const ConvGeometry& g, Fn&& fn) {
  for (int c = 0; c < g.channels; ++c)
    for (int ky = 0; ky < g.kernel; ++ky)
      for (int kx = 0; kx < g.kernel; ++kx) fn((c * g.kernel + ky) * g.kernel + kx, c, ky, kx);
}

// The output columns ox whose input column ox*s - p + kx lies inside the image: [first, last).
void inside(int kx, int stride, int padding, int size, int out, int& first, int& last) {
  first = std::max(0, (padding - kx + stride - 1) / stride);
  const int span = size - 1 + padding - kx;  // the last ox satisfies ox * stride <= span
  last = span < 0 ? 0 : std::min(out, span / stride + 1);
  if (last < first) last = first;
}

}  // namespace

void im2col(const ConvGeometry& g, const float* image, float* cols) {
  const int oh = g.out_height(), ow = g.out_width(), positions = g.positions();
  for_each_patch_row(g, [&](int row, int c, int ky, int kx) {
    float* out = cols + static_cast<long>(row) * positions;
    const float* plane = image + static_cast<long>(c) * g.height * g.width;
    int x0, x1;
    inside(kx, g.stride, g.padding, g.width, ow, x0, x1);
    for (int oy = 0; oy < oh; ++oy) {
      float* line = out + oy * ow;
      const int y = oy * g.stride - g.padding + ky;
      if (y < 0 || y >= g.height) {
        std::fill(line, line + ow, 0.0f);
        continue;
      }
      const float* src = plane + y * g.width - g.padding + kx;
      std::fill(line, line + x0, 0.0f);
      for (int ox = x0; ox < x1; ++ox) line[ox] = src[ox * g.stride];
      std::fill(line + x1, line + ow, 0.0f);
    }
  });
}

void col2im(const ConvGeometry& g, const float* cols, long cols_width, float* image) {
  const int oh = g.out_height(), ow = g.out_width();
  for_each_patch_row(g, [&](int row, int c, int ky, int kx) {
    const float* in = cols + row * cols_width;
    float* plane = image + static_cast<long>(c) * g.height * g.width;
    int x0, x1;
    inside(kx, g.stride, g.padding, g.width, ow, x0, x1);
    for (int oy = 0; oy < oh; ++oy) {
      const int y = oy * g.stride - g.padding + ky;
      if (y < 0 || y >= g.height) continue;
      const float* line = in + oy * ow;
      float* dst = plane + y * g.width - g.padding + kx;
      for (int ox = x0; ox < x1; ++ox) dst[ox * g.stride] += line[ox];
    }
  });
}

void col2im_by_position(const ConvGeometry& g, const float* rows, float* image) {
  const int oh = g.out_height(), ow = g.out_width(), k = g.kernel;
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox) {
      const float* row = rows + (static_cast<long>(oy) * ow + ox) * g.patch();
      const int x0 = ox * g.stride - g.padding;  // the image column of kx = 0
      const int k0 = std::max(0, -x0), k1 = std::min(k, g.width - x0);
      for (int c = 0; c < g.channels; ++c)
        for (int ky = 0; ky < k; ++ky) {
          const int y = oy * g.stride - g.padding + ky;
          if (y < 0 || y >= g.height) continue;
          float* dst = image + (static_cast<long>(c) * g.height + y) * g.width + x0;
          const float* src = row + (c * k + ky) * k;
          // The DCGAN's kernel away from the border: a fixed 4 becomes one vector add (its first transposed
          // convolution took 11.4 ms for 64 digits in wasm with it, 13.6-14.1 with the loop below alone).
          if (k == 4 && k0 == 0 && k1 == 4) {
            for (int kx = 0; kx < 4; ++kx) dst[kx] += src[kx];
          } else {
            for (int kx = k0; kx < k1; ++kx) dst[kx] += src[kx];
          }
        }
    }
}

}  // namespace gan
