// What the packed inference kernels (inference_mlp.cpp, quantized_panels.cpp) share: rows taken four at a time, and
// the activation applied as each block of outputs is stored, in wasm SIMD where the build has it.
#pragma once
#include <algorithm>
#include <cmath>
#include <type_traits>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace gan {

enum class Act { Leaky, Tanh, None };

// Calls block(std::integral_constant<int, R>{}, r) for rows [r, r + R): blocks of four, then the remainder. Kernels
// are templates on R so that each block keeps its accumulators in registers.
template <class Block>
void for_row_blocks(int rows, Block&& block) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) block(std::integral_constant<int, 4>{}, r);
  switch (rows - r) {
    case 3: block(std::integral_constant<int, 3>{}, r); break;
    case 2: block(std::integral_constant<int, 2>{}, r); break;
    case 1: block(std::integral_constant<int, 1>{}, r); break;
    default: break;
  }
}

namespace panel_tanh {
// Eigen's generic_fast_tanh_float (the rational approximation Mlp::forward uses), written out so the SIMD path
// computes the same function.
constexpr float kClamp = 7.90531110763549805f;
constexpr float kAlpha[7] = {4.89352455891786e-03f, 6.37261928875436e-04f, 1.48572235717979e-05f, 5.12229709037114e-08f,
                             -8.60467152213735e-11f, 2.00018790482477e-13f, -2.76076847742355e-16f};
constexpr float kBeta[4] = {4.89352518554385e-03f, 2.26843463243900e-03f, 1.18534705686654e-04f, 1.19825839466702e-06f};
}  // namespace panel_tanh

#ifdef __wasm_simd128__

inline v128_t tanh4(v128_t a) {
  using namespace panel_tanh;
  const v128_t x = wasm_f32x4_max(wasm_f32x4_splat(-kClamp), wasm_f32x4_min(wasm_f32x4_splat(kClamp), a));
  const v128_t x2 = wasm_f32x4_mul(x, x);
  v128_t p = wasm_f32x4_add(wasm_f32x4_mul(x2, wasm_f32x4_splat(kAlpha[6])), wasm_f32x4_splat(kAlpha[5]));
  for (int i = 4; i >= 0; --i) p = wasm_f32x4_add(wasm_f32x4_mul(x2, p), wasm_f32x4_splat(kAlpha[i]));
  v128_t q = wasm_f32x4_add(wasm_f32x4_mul(x2, wasm_f32x4_splat(kBeta[3])), wasm_f32x4_splat(kBeta[2]));
  for (int i = 1; i >= 0; --i) q = wasm_f32x4_add(wasm_f32x4_mul(x2, q), wasm_f32x4_splat(kBeta[i]));
  const v128_t r = wasm_f32x4_div(wasm_f32x4_mul(x, p), q);
  const v128_t tiny = wasm_f32x4_lt(wasm_f32x4_abs(a), wasm_f32x4_splat(0.0004f));
  return wasm_v128_bitselect(a, r, tiny);
}

inline v128_t activate(v128_t v, Act act, v128_t slope) {
  if (act == Act::Leaky) return wasm_v128_bitselect(v, wasm_f32x4_mul(v, slope), wasm_f32x4_gt(v, wasm_f32x4_splat(0)));
  if (act == Act::Tanh) return tanh4(v);
  return v;
}

#else

inline float fast_tanh(float a) {
  using namespace panel_tanh;
  if (std::fabs(a) < 0.0004f) return a;
  const float x = std::max(-kClamp, std::min(kClamp, a)), x2 = x * x;
  float p = x2 * kAlpha[6] + kAlpha[5];
  for (int i = 4; i >= 0; --i) p = x2 * p + kAlpha[i];
  float q = x2 * kBeta[3] + kBeta[2];
  for (int i = 1; i >= 0; --i) q = x2 * q + kBeta[i];
  return x * p / q;
}

inline float activate(float v, Act act, float slope) {
  if (act == Act::Leaky) return v > 0 ? v : slope * v;
  if (act == Act::Tanh) return fast_tanh(v);
  return v;
}

#endif

}  // namespace gan
