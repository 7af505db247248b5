// A layer whose weights are 8-bit whole numbers (a q8 generator file) evaluated as integers: each input row is
// rounded to 16-bit integers with one scale, products are summed exactly in 32-bit integers, and the scales, bias
// and activation are applied as each block is stored. The weights stay 8-bit in memory (a quarter of the bytes of
// floats: one digit streams them all, so after idle it waits on memory) and are widened to 16 bits as they are
// loaded, or once per panel for a block of many rows; in wasm SIMD each instruction sums twice the products of floats
// (i32x4.dot_i16x8_s). Integer sums do not depend on their order, so every build and every thread count gives the same
// bits.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "panel_kernels.h"

namespace gan {

// A layer's inputs once rounded (QuantizedPanels::round_inputs), kept between calls so their memory is reused.
struct QuantizedInputs {
  std::vector<int16_t> q;
  std::vector<float> row_scale;
};

class QuantizedPanels {
 public:
  static constexpr int kPanel = 8;  // output features per panel, as InferenceMlp's float panels

  QuantizedPanels() = default;
  // Zero weights for a layer of `in` inputs and `out` outputs. Throws std::invalid_argument when `in` is so large
  // that sums of 16-bit inputs times 8-bit weights could leave an int32.
  QuantizedPanels(int in, int out);

  bool empty() const { return packed_.empty(); }
  size_t panels() const { return static_cast<size_t>(out_ + kPanel - 1) / kPanel; }
  // Inputs per row once rounded: `in` padded to whole pairs.
  int padded_in() const { return 2 * pairs_; }
  // The largest magnitude an input is rounded to: `padded_in()` products with weights of magnitude 128 fit an int32.
  int input_limit() const { return input_limit_; }

  // Output feature `row`'s weights as whole numbers in [-128, 127] (decoded I8 values), and its scale: weight =
  // value * scale.
  void set_row(int row, const float* whole_numbers, float scale);

  // Rounds `rows` rows of `in` floats to integers: q[r * padded_in() + k] in [-input_limit(), input_limit()],
  // x[r][k] ~ q * row_scale[r] (row_scale = the row's largest |x| / input_limit()). A row with a NaN or an infinity
  // gets a NaN scale, so its outputs are NaN as the float path's would be.
  void round_inputs(const float* x, int rows, int16_t* q, float* row_scale) const;

  // Panels [first, last) for every row: y[r * out + f] = act(sum_k W[f][k] x[r][k] + bias[f]) from round_inputs'
  // q and row_scale, with the integer sum scaled by the feature's scale, then the row's.
  void forward_panels(size_t first, size_t last, const int16_t* q, const float* row_scale, int rows, const float* bias,
                      float* y, Act act, float slope) const;

  // Both steps: y = act(x W^T + bias) for `rows` rows of `in` floats (bias padded to whole panels), the inputs
  // rounded into `inputs`, the panels shared between threads when `share`.
  void forward(const float* x, int rows, const float* bias, float* y, Act act, float slope, QuantizedInputs& inputs,
               bool share) const;

 private:
  int in_ = 0, out_ = 0, pairs_ = 0, input_limit_ = 0;
  std::vector<int8_t> packed_;  // panel p, input pair k: W[p*8 + j][2k], W[p*8 + j][2k + 1] for j = 0..7
  std::vector<float> scale_;    // per output feature, padded to a whole panel
};

}  // namespace gan
