// An MLP packed for evaluation only: weights in panels of 8 output features, bias and activation fused.
#include "inference_mlp.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "panel_kernels.h"
#include "parallel.h"

namespace gan {
namespace {

#ifdef __wasm_simd128__

// R rows of x times one 8-feature panel: 2R accumulators, each input value broadcast once per row.
template <int R>
void panel_block(const float* x, int ldx, const float* panel, const float* bias, int k_count, float* y, int ldy,
                 int width, Act act, float slope) {
  v128_t acc[R][2];
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = wasm_f32x4_splat(0);
  for (int k = 0; k < k_count; ++k) {
    const v128_t w0 = wasm_v128_load(panel + k * 8), w1 = wasm_v128_load(panel + k * 8 + 4);
    for (int r = 0; r < R; ++r) {
      const v128_t xv = wasm_v128_load32_splat(x + r * ldx + k);
      acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_f32x4_mul(xv, w0));
      acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_f32x4_mul(xv, w1));
    }
  }
  const v128_t b0 = wasm_v128_load(bias), b1 = wasm_v128_load(bias + 4), s = wasm_f32x4_splat(slope);
  for (int r = 0; r < R; ++r) {
    alignas(16) float out[8];
    wasm_v128_store(out, activate(wasm_f32x4_add(acc[r][0], b0), act, s));
    wasm_v128_store(out + 4, activate(wasm_f32x4_add(acc[r][1], b1), act, s));
    std::memcpy(y + r * ldy, out, sizeof(float) * width);
  }
}

#else

// The same blocking in portable C++: the compiler vectorises the 8-lane inner loops.
template <int R>
void panel_block(const float* x, int ldx, const float* panel, const float* bias, int k_count, float* y, int ldy,
                 int width, Act act, float slope) {
  float acc[R][8] = {};
  for (int k = 0; k < k_count; ++k) {
    const float* w = panel + k * 8;
    for (int r = 0; r < R; ++r) {
      const float xv = x[r * ldx + k];
      for (int j = 0; j < 8; ++j) acc[r][j] += xv * w[j];
    }
  }
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < width; ++j) y[r * ldy + j] = activate(acc[r][j] + bias[j], act, slope);
}

#endif

// Float panels [first, last) for every row. Panel outside, rows inside: one panel (8 x in floats, at most 32 KB)
// stays in L1 while every row uses it.
void float_panels(const InferenceMlp::Layer& L, size_t first, size_t last, const float* x, int rows, float* y, Act act,
                  float slope) {
  constexpr int P = InferenceMlp::kPanel;
  for (size_t p = first; p < last; ++p) {
    const float* panel = L.packed.data() + p * L.in * P;
    const int width = std::min<int>(P, L.out - int(p) * P);
    for_row_blocks(rows, [&](auto R, int r) {
      panel_block<decltype(R)::value>(x + size_t(r) * L.in, L.in, panel, L.bias.data() + p * P, L.in,
                                      y + size_t(r) * L.out + p * P, L.out, width, act, slope);
    });
  }
}

// Panels of layer L's outputs (the last one padded).
size_t panel_count(const InferenceMlp::Layer& L) { return size_t(L.out + InferenceMlp::kPanel - 1) / InferenceMlp::kPanel; }

// Zero float panels for layer L (the first row set, or a layer never given any).
void allocate_float_panels(InferenceMlp::Layer& L) { L.packed.assign(panel_count(L) * InferenceMlp::kPanel * L.in, 0.0f); }

// Whether a layer's panels are split between threads for `rows` rows (each thread writes its own output columns, so
// the result does not depend on the split). A single row is not worth waking another thread for, nor keeping one
// polling through a slider drag (on two cores a polling helper crowds the browser's own threads: the drag's p95 rose).
bool shares(int rows) { return rows >= 4; }

}  // namespace

InferenceMlp::InferenceMlp(MlpSpec spec) : spec_(std::move(spec)) {
  for (size_t i = 0; i + 1 < spec_.widths.size(); ++i) {
    Layer L;
    L.in = spec_.widths[i], L.out = spec_.widths[i + 1];
    L.bias.assign(panel_count(L) * kPanel, 0.0f);
    layers_.push_back(std::move(L));  // weights are allocated by the first row set, float or 8-bit
  }
}

InferenceMlp::InferenceMlp(const Mlp& mlp) : InferenceMlp(mlp.spec()) {
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Linear& lin = mlp.linear(i);
    for (int o = 0; o < layers_[i].out; ++o) set_weight_row(i, o, lin.weight.row(o).data());
    set_bias(i, lin.bias.data());
  }
}

void InferenceMlp::set_weight_row(size_t layer, int row, const float* values) {
  Layer& L = layers_.at(layer);
  if (!L.quantized.empty()) throw std::logic_error("InferenceMlp: float rows for a layer that holds 8-bit rows");
  if (L.packed.empty()) allocate_float_panels(L);
  float* dst = L.packed.data() + (size_t(row / kPanel) * L.in) * kPanel + row % kPanel;
  for (int k = 0; k < L.in; ++k) dst[size_t(k) * kPanel] = values[k];
}

void InferenceMlp::set_quantized_row(size_t layer, int row, const float* whole_numbers, float scale) {
  Layer& L = layers_.at(layer);
  if (!L.packed.empty()) throw std::logic_error("InferenceMlp: 8-bit rows for a layer that holds float rows");
  if (L.quantized.empty()) L.quantized = QuantizedPanels(L.in, L.out);
  L.quantized.set_row(row, whole_numbers, scale);
}

void InferenceMlp::set_bias(size_t layer, const float* values) {
  Layer& L = layers_.at(layer);
  std::copy(values, values + L.out, L.bias.begin());
}

void InferenceMlp::forward(const float* x, int rows, float* out) {
  const float* in = x;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const bool last = i + 1 == layers_.size();
    const Act act = !last ? Act::Leaky : spec_.head == Head::Tanh ? Act::Tanh : Act::None;
    float* dst = out;
    if (!last) {
      std::vector<float>& buf = (i % 2 == 0) ? a_ : b_;
      buf.resize(size_t(rows) * layers_[i].out);
      dst = buf.data();
    }
    layer_forward(layers_[i], in, rows, dst, act);
    in = dst;
  }
}

void InferenceMlp::layer_forward(Layer& L, const float* x, int rows, float* y, Act act) {
  const float slope = spec_.leaky_slope;
  if (!L.quantized.empty()) return L.quantized.forward(x, rows, L.bias.data(), y, act, slope, rounded_, shares(rows));
  if (L.packed.empty()) allocate_float_panels(L);  // never set: zero weights
  parallel_chunks(panel_count(L), [&](size_t first, size_t last) { float_panels(L, first, last, x, rows, y, act, slope); },
                  1, shares(rows) ? 2 : SIZE_MAX);
}

}  // namespace gan
