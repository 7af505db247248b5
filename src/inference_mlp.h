// An MLP packed for evaluation only: weights in panels of 8 output features, bias and activation applied as each
// block is stored. The page's hot path (a slider move regenerates one digit, a new seed 64); Mlp::forward is the
// reference it is tested against. Hand-written wasm SIMD kernels where the build has them, portable C++ elsewhere.
// Layers given 8-bit rows (a q8 file) keep them as integers and run on QuantizedPanels.
#pragma once
#include <cstdint>
#include <vector>

#include "mlp.h"
#include "quantized_panels.h"

namespace gan {

class InferenceMlp {
 public:
  InferenceMlp() = default;
  // The packed copy of `mlp` (not explicit: the viewer takes a generator as either).
  InferenceMlp(const Mlp& mlp);
  // Zero weights shaped by `spec`, to be filled with set_weight_row (or set_quantized_row) and set_bias: how
  // load_packed_generator reads a file straight into the packed layout.
  explicit InferenceMlp(MlpSpec spec);

  const MlpSpec& spec() const { return spec_; }
  int in_features() const { return layers_.empty() ? 0 : layers_.front().in; }
  int out_features() const { return layers_.empty() ? 0 : layers_.back().out; }

  // `rows` inputs of in_features() floats -> `rows` outputs of out_features() floats, as Mlp::forward(x, false).
  void forward(const float* x, int rows, float* out);

  // Layer `layer`'s weights into output feature `row` from each of its inputs (PyTorch's weight[row]), and its biases.
  void set_weight_row(size_t layer, int row, const float* values);
  void set_bias(size_t layer, const float* values);
  // The same row as 8-bit whole numbers and their scale (weight = value * scale), as a q8 file stores it: the layer
  // then keeps integers. A layer takes rows one way or the other; mixing throws std::logic_error.
  void set_quantized_row(size_t layer, int row, const float* whole_numbers, float scale);
  // Whether layer `layer` runs on 8-bit weights.
  bool quantized(size_t layer) const { return !layers_.at(layer).quantized.empty(); }

  // Output features per packed panel (two 128-bit vectors), float and 8-bit layers alike: the bias is padded to it
  // and layers are split between threads by it.
  static constexpr int kPanel = QuantizedPanels::kPanel;

  struct Layer {
    int in = 0, out = 0;
    std::vector<float> packed;  // panel p, input k, lane j: W[p * 8 + j][k] (zero past `out`); empty until set
    QuantizedPanels quantized;  // or the 8-bit weights; empty unless set
    std::vector<float> bias;    // padded to a whole panel
  };

 private:
  // One layer on `rows` inputs x into y, on its float or its 8-bit panels.
  void layer_forward(Layer& L, const float* x, int rows, float* y, Act act);

  MlpSpec spec_;
  std::vector<Layer> layers_;
  std::vector<float> a_, b_;  // activations between layers, reused
  QuantizedInputs rounded_;   // an 8-bit layer's inputs rounded to integers
};

}  // namespace gan
