// 8-bit weights evaluated as integers: 16-bit inputs, exact 32-bit sums, scales applied as each block is stored.
#include "quantized_panels.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "parallel.h"

namespace gan {
namespace {

constexpr int kMaxWeight = 128;  // |int8|

// The largest of a and b, NaN if either is NaN.
float max_or_nan(float a, float b) { return (a != a || b != b) ? std::numeric_limits<float>::quiet_NaN() : std::max(a, b); }

// The largest |x[k]| of a row; NaN if any is NaN.
float largest_magnitude(const float* x, int n) {
  float m = 0;
  int k = 0;
#ifdef __wasm_simd128__
  // pmax is one instruction where max's NaN rules take seven, so NaNs are looked for on the side.
  v128_t mv = wasm_f32x4_splat(0), nan = wasm_i32x4_splat(0);
  for (; k + 4 <= n; k += 4) {
    const v128_t v = wasm_v128_load(x + k);
    mv = wasm_f32x4_pmax(mv, wasm_f32x4_abs(v));
    nan = wasm_v128_or(nan, wasm_f32x4_ne(v, v));
  }
  alignas(16) float lanes[4];
  wasm_v128_store(lanes, mv);
  m = std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
  if (wasm_v128_any_true(nan)) m = std::numeric_limits<float>::quiet_NaN();
#endif
  for (; k < n; ++k) m = max_or_nan(m, std::fabs(x[k]));
  return m;
}

// q[k] = x[k] * inv rounded to the nearest integer, ties to even (|x[k] * inv| is at most the limit, < 2^15).
void round_row(const float* x, int n, float inv, int16_t* q) {
  int k = 0;
#ifdef __wasm_simd128__
  // Adding 1.5 * 2^23 rounds to an integer in the low mantissa bits (ties to even, as nearbyint): two instructions
  // where nearest and a saturating conversion take about ten.
  const v128_t iv = wasm_f32x4_splat(inv), magic = wasm_f32x4_splat(12582912.0f);
  for (; k + 8 <= n; k += 8) {
    const v128_t a = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x + k), iv), magic);
    const v128_t b = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x + k + 4), iv), magic);
    wasm_v128_store(q + k, wasm_i16x8_narrow_i32x4(wasm_i32x4_sub(a, magic), wasm_i32x4_sub(b, magic)));
  }
#endif
  for (; k < n; ++k) q[k] = static_cast<int16_t>(std::nearbyint(x[k] * inv));
}

#ifdef __wasm_simd128__

// R rows of rounded inputs times one panel of 8-bit or already widened 16-bit weights (W): 2R integer accumulators;
// each pair's 16 weights are loaded (and widened) once, each pair of inputs is broadcast once per row, and
// i32x4.dot_i16x8_s sums two products per lane.
template <int R, class W>
void quantized_block(const int16_t* q, int ldq, const float* row_scale, const W* panel, const float* scale,
                     const float* bias, int pairs, float* y, int ldy, int width, Act act, float slope) {
  v128_t acc[R][2];
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = wasm_i32x4_splat(0);
  for (int k = 0; k < pairs; ++k) {
    v128_t w0, w1;
    if constexpr (sizeof(W) == 1) {
      const v128_t w = wasm_v128_load(panel + k * 16);
      w0 = wasm_i16x8_extend_low_i8x16(w), w1 = wasm_i16x8_extend_high_i8x16(w);
    } else {
      w0 = wasm_v128_load(panel + k * 16), w1 = wasm_v128_load(panel + k * 16 + 8);
    }
    for (int r = 0; r < R; ++r) {
      const v128_t xv = wasm_v128_load32_splat(q + r * ldq + 2 * k);
      acc[r][0] = wasm_i32x4_add(acc[r][0], wasm_i32x4_dot_i16x8(xv, w0));
      acc[r][1] = wasm_i32x4_add(acc[r][1], wasm_i32x4_dot_i16x8(xv, w1));
    }
  }
  const v128_t s0 = wasm_v128_load(scale), s1 = wasm_v128_load(scale + 4);
  const v128_t b0 = wasm_v128_load(bias), b1 = wasm_v128_load(bias + 4), sl = wasm_f32x4_splat(slope);
  for (int r = 0; r < R; ++r) {
    const v128_t rs = wasm_f32x4_splat(row_scale[r]);
    const v128_t v0 = wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_convert_i32x4(acc[r][0]), s0), rs);
    const v128_t v1 = wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_convert_i32x4(acc[r][1]), s1), rs);
    alignas(16) float out[8];
    wasm_v128_store(out, activate(wasm_f32x4_add(v0, b0), act, sl));
    wasm_v128_store(out + 4, activate(wasm_f32x4_add(v1, b1), act, sl));
    std::memcpy(y + r * ldy, out, sizeof(float) * width);
  }
}

#else

// The same sums in portable C++ (the source is built with -ffp-contract=off, so the scaling rounds as in wasm).
// Rows outside, pairs inside: GCC 12 at -O3 vectorised the other order into loads past the end of q (valgrind).
template <int R, class W>
void quantized_block(const int16_t* q, int ldq, const float* row_scale, const W* panel, const float* scale,
                     const float* bias, int pairs, float* y, int ldy, int width, Act act, float slope) {
  int32_t acc[R][8] = {};
  for (int r = 0; r < R; ++r) {
    const int16_t* x = q + r * ldq;
    for (int k = 0; k < pairs; ++k) {
      const W* w = panel + k * 16;
      const int32_t x0 = x[2 * k], x1 = x[2 * k + 1];
      for (int j = 0; j < 8; ++j) acc[r][j] += x0 * w[2 * j] + x1 * w[2 * j + 1];
    }
  }
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < width; ++j)
      y[r * ldy + j] = activate(static_cast<float>(acc[r][j]) * scale[j] * row_scale[r] + bias[j], act, slope);
}

#endif

// From this many rows on, each panel's bytes are widened to 16 bits once and every row block reads them from there
// (a thread's scratch, in its first-level cache): at 64 rows, widening in every block took 7% more time in the 8-bit
// layers (under node). Fewer rows (a slider's one digit) read the bytes straight from the panels.
constexpr int kWidenOnceRows = 8;

// Panel `panel`'s products for every row, in blocks of up to 4 rows.
template <class W>
void panel_rows(const int16_t* q, int ldq, const float* row_scale, int rows, const W* panel, const float* scale,
                const float* bias, int pairs, float* y, int ldy, int width, Act act, float slope) {
  for_row_blocks(rows, [&](auto R, int r) {
    quantized_block<decltype(R)::value>(q + size_t(r) * ldq, ldq, row_scale + r, panel, scale, bias, pairs,
                                        y + size_t(r) * ldy, ldy, width, act, slope);
  });
}

}  // namespace

QuantizedPanels::QuantizedPanels(int in, int out) : in_(in), out_(out), pairs_((in + 1) / 2) {
  const int64_t limit = std::numeric_limits<int32_t>::max() / (int64_t{kMaxWeight} * padded_in());
  if (in <= 0 || out <= 0 || limit < 127)
    throw std::invalid_argument("8-bit layer of " + std::to_string(in) + " inputs and " + std::to_string(out) +
                                " outputs: 16-bit inputs need 1 to 132,104 inputs and at least one output");
  input_limit_ = static_cast<int>(std::min<int64_t>(limit, std::numeric_limits<int16_t>::max()));
  packed_.assign(panels() * size_t(pairs_) * 2 * kPanel, 0);
  scale_.assign(panels() * kPanel, 0.0f);
}

void QuantizedPanels::set_row(int row, const float* whole_numbers, float scale) {
  int8_t* panel = packed_.data() + size_t(row / kPanel) * pairs_ * 2 * kPanel;
  const int lane = 2 * (row % kPanel);
  for (int k = 0; k < in_; ++k) panel[(k / 2) * 2 * kPanel + lane + k % 2] = static_cast<int8_t>(whole_numbers[k]);
  scale_.at(size_t(row)) = scale;
}

void QuantizedPanels::round_inputs(const float* x, int rows, int16_t* q, float* row_scale) const {
  const int ldq = padded_in();
  for (int r = 0; r < rows; ++r) {
    const float* xr = x + size_t(r) * in_;
    int16_t* qr = q + size_t(r) * ldq;
    const float m = largest_magnitude(xr, in_);
    const float limit = static_cast<float>(input_limit_), inv = limit / m;
    if (!(m <= std::numeric_limits<float>::max())) {
      row_scale[r] = std::numeric_limits<float>::quiet_NaN();
      std::fill(qr, qr + ldq, int16_t{0});
    } else if (!(inv <= std::numeric_limits<float>::max())) {  // zero, or so small the row adds nothing
      row_scale[r] = 0;
      std::fill(qr, qr + ldq, int16_t{0});
    } else {
      row_scale[r] = m / limit;
      round_row(xr, in_, inv, qr);
      std::fill(qr + in_, qr + ldq, int16_t{0});  // the odd input's pair
    }
  }
}

void QuantizedPanels::forward_panels(size_t first, size_t last, const int16_t* q, const float* row_scale, int rows,
                                     const float* bias, float* y, Act act, float slope) const {
  const int ldq = padded_in();
  const size_t panel_size = size_t(pairs_) * 2 * kPanel;
  thread_local std::vector<int16_t> widened;
  if (rows >= kWidenOnceRows) widened.resize(panel_size);
  for (size_t p = first; p < last; ++p) {
    const int8_t* panel = packed_.data() + p * panel_size;
    const float* scale = scale_.data() + p * kPanel;
    const int width = std::min<int>(kPanel, out_ - int(p) * kPanel);
    float* y_panel = y + p * kPanel;
    if (rows >= kWidenOnceRows) {
      std::copy(panel, panel + panel_size, widened.begin());
      panel_rows(q, ldq, row_scale, rows, widened.data(), scale, bias + p * kPanel, pairs_, y_panel, out_, width, act,
                 slope);
    } else {
      panel_rows(q, ldq, row_scale, rows, panel, scale, bias + p * kPanel, pairs_, y_panel, out_, width, act, slope);
    }
  }
}

void QuantizedPanels::forward(const float* x, int rows, const float* bias, float* y, Act act, float slope,
                              QuantizedInputs& inputs, bool share) const {
  inputs.q.resize(size_t(rows) * padded_in());
  inputs.row_scale.resize(size_t(rows));
  round_inputs(x, rows, inputs.q.data(), inputs.row_scale.data());
  parallel_chunks(panels(), [&](size_t first, size_t last) {
    forward_panels(first, last, inputs.q.data(), inputs.row_scale.data(), rows, bias, y, act, slope);
  }, 1, share ? 2 : SIZE_MAX);
}

}  // namespace gan
