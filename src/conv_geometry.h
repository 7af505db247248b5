// The unrolling that turns a convolution into one matrix product: image patches to columns (im2col) and back.
#pragma once

namespace gan {

// A convolution's input (channels x height x width), its square kernel, stride and zero padding, and the output size
// those give. A transposed convolution uses the geometry of the convolution it transposes (its output is this
// geometry's input).
struct ConvGeometry {
  int channels = 0, height = 0, width = 0;
  int kernel = 0, stride = 1, padding = 0;

  int out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
  int out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
  int patch() const { return channels * kernel * kernel; }  // rows of the column matrix
  int positions() const { return out_height() * out_width(); }  // its columns
  bool valid() const;
};

// cols [patch, positions] (row-major): row (c, ky, kx), column (oy, ox) holds image[c][oy*s - p + ky][ox*s - p + kx],
// zero outside the image.
void im2col(const ConvGeometry& g, const float* image, float* cols);
// The adjoint: image[c][y][x] += every column entry that im2col would read from there. The caller zeroes `image`.
// Row r of cols starts at cols + r * cols_width: positions for one sample's matrix, or the width of a matrix that
// holds several samples' columns side by side (one product for them all).
void col2im(const ConvGeometry& g, const float* cols, long cols_width, float* image);
inline void col2im(const ConvGeometry& g, const float* cols, float* image) { col2im(g, cols, g.positions(), image); }
// The same fold from the transposed column matrix [positions, patch]: each position's row adds its patch into the
// image, each (c, ky) a run of `kernel` neighbouring pixels, where col2im adds one pixel at a time with the stride's
// step. Each pixel's terms are summed by position instead of by (ky, kx), so results differ from col2im in rounding.
void col2im_by_position(const ConvGeometry& g, const float* rows, float* image);

}  // namespace gan
