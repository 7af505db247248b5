// An MLP packed for evaluation only: weights in panels of 8 output features, bias and activation fused.
#include "inference_mlp.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>

#include "parallel.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace gan {
namespace {

enum class Act { Leaky, Tanh, None };

// Eigen's generic_fast_tanh_float (the rational approximation Mlp::forward uses), written out so the SIMD path
// computes the same function.
constexpr float kTanhClamp = 7.90531110763549805f;
constexpr float kAlpha[7] = {4.89352455891786e-03f, 6.37261928875436e-04f, 1.48572235717979e-05f, 5.12229709037114e-08f,
                             -8.60467152213735e-11f, 2.00018790482477e-13f, -2.76076847742355e-16f};
constexpr float kBeta[4] = {4.89352518554385e-03f, 2.26843463243900e-03f, 1.18534705686654e-04f, 1.19825839466702e-06f};

#ifdef __wasm_simd128__

v128_t tanh4(v128_t a) {
  const v128_t x = wasm_f32x4_max(wasm_f32x4_splat(-kTanhClamp), wasm_f32x4_min(wasm_f32x4_splat(kTanhClamp), a));
  const v128_t x2 = wasm_f32x4_mul(x, x);
  v128_t p = wasm_f32x4_add(wasm_f32x4_mul(x2, wasm_f32x4_splat(kAlpha[6])), wasm_f32x4_splat(kAlpha[5]));
  for (int i = 4; i >= 0; --i) p = wasm_f32x4_add(wasm_f32x4_mul(x2, p), wasm_f32x4_splat(kAlpha[i]));
  v128_t q = wasm_f32x4_add(wasm_f32x4_mul(x2, wasm_f32x4_splat(kBeta[3])), wasm_f32x4_splat(kBeta[2]));
  for (int i = 1; i >= 0; --i) q = wasm_f32x4_add(wasm_f32x4_mul(x2, q), wasm_f32x4_splat(kBeta[i]));
  const v128_t r = wasm_f32x4_div(wasm_f32x4_mul(x, p), q);
  const v128_t tiny = wasm_f32x4_lt(wasm_f32x4_abs(a), wasm_f32x4_splat(0.0004f));
  return wasm_v128_bitselect(a, r, tiny);
}

v128_t activate(v128_t v, Act act, v128_t slope) {
  if (act == Act::Leaky) return wasm_v128_bitselect(v, wasm_f32x4_mul(v, slope), wasm_f32x4_gt(v, wasm_f32x4_splat(0)));
  if (act == Act::Tanh) return tanh4(v);
  return v;
}

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

float fast_tanh(float a) {
  if (std::fabs(a) < 0.0004f) return a;
  const float x = std::max(-kTanhClamp, std::min(kTanhClamp, a)), x2 = x * x;
  float p = x2 * kAlpha[6] + kAlpha[5];
  for (int i = 4; i >= 0; --i) p = x2 * p + kAlpha[i];
  float q = x2 * kBeta[3] + kBeta[2];
  for (int i = 1; i >= 0; --i) q = x2 * q + kBeta[i];
  return x * p / q;
}

float activate(float v, Act act, float slope) {
  if (act == Act::Leaky) return v > 0 ? v : slope * v;
  if (act == Act::Tanh) return fast_tanh(v);
  return v;
}

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

void layer_forward(const InferenceMlp::Layer& L, const float* x, int rows, float* y, Act act, float slope) {
  constexpr int P = InferenceMlp::kPanel;
  const size_t panels = size_t(L.out + P - 1) / P;
  // Panels are split between threads (each writes its own output columns, so the result does not depend on the
  // split). A single row is not worth waking another thread for, nor keeping one polling through a slider drag
  // (on two cores a polling helper crowds the browser's own threads: the drag's p95 rose).
  const size_t min_parallel = rows >= 4 ? 2 : SIZE_MAX;
  parallel_chunks(panels, [&](size_t first, size_t last) {
    // Panel outside, rows inside: one panel (8 x in floats, at most 32 KB) stays in L1 while every row uses it.
    for (size_t p = first; p < last; ++p) {
      const float* panel = L.packed.data() + p * L.in * P;
      const float* bias = L.bias.data() + p * P;
      const int width = std::min<int>(P, L.out - int(p) * P);
      int r = 0;
      for (; r + 4 <= rows; r += 4)
        panel_block<4>(x + size_t(r) * L.in, L.in, panel, bias, L.in, y + size_t(r) * L.out + p * P, L.out, width, act, slope);
      const float* xr = x + size_t(r) * L.in;
      float* yr = y + size_t(r) * L.out + p * P;
      switch (rows - r) {
        case 3: panel_block<3>(xr, L.in, panel, bias, L.in, yr, L.out, width, act, slope); break;
        case 2: panel_block<2>(xr, L.in, panel, bias, L.in, yr, L.out, width, act, slope); break;
        case 1: panel_block<1>(xr, L.in, panel, bias, L.in, yr, L.out, width, act, slope); break;
        default: break;
      }
    }
  }, 1, min_parallel);
}

}  // namespace

InferenceMlp::InferenceMlp(MlpSpec spec) : spec_(std::move(spec)) {
  for (size_t i = 0; i + 1 < spec_.widths.size(); ++i) {
    Layer L;
    L.in = spec_.widths[i], L.out = spec_.widths[i + 1];
    const int panels = (L.out + kPanel - 1) / kPanel;
    L.packed.assign(size_t(panels) * L.in * kPanel, 0.0f);
    L.bias.assign(size_t(panels) * kPanel, 0.0f);
    layers_.push_back(std::move(L));
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
  float* dst = L.packed.data() + (size_t(row / kPanel) * L.in) * kPanel + row % kPanel;
  for (int k = 0; k < L.in; ++k) dst[size_t(k) * kPanel] = values[k];
}

void InferenceMlp::set_bias(size_t layer, const float* values) {
  Layer& L = layers_.at(layer);
  std::copy(values, values + L.out, L.bias.begin());
}

void InferenceMlp::forward(const float* x, int rows, float* out) {
  const float* in = x;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Layer& L = layers_[i];
    const bool last = i + 1 == layers_.size();
    const Act act = !last ? Act::Leaky : spec_.head == Head::Tanh ? Act::Tanh : Act::None;
    float* dst = out;
    if (!last) {
      std::vector<float>& buf = (i % 2 == 0) ? a_ : b_;
      buf.resize(size_t(rows) * L.out);
      dst = buf.data();
    }
    layer_forward(L, in, rows, dst, act, spec_.leaky_slope);
    in = dst;
  }
}

}  // namespace gan
