// Packed matrix product: A in strips of 4 rows, B in panels of 8 columns, a 4x8 register tile per kernel call.
#include "packed_gemm.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "parallel.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace gan {
namespace {

constexpr int kRows = 4;     // rows of C per kernel call (a strip of packed A)
constexpr int kCols = 8;     // columns of C per kernel call (a panel of packed B: two 128-bit vectors)
constexpr int kDepth = 256;  // k per block: a block of packed A (rows x 256) stays in L2 while panels pass by

inline float element(const GemmOperand& x, int row, int col) {
  return x.transposed ? x.data[size_t(col) * x.ld + row] : x.data[size_t(row) * x.ld + col];
}

// Rows [0, m) of op(A), depth [k0, k0 + kc), as strips: strip s, depth d, lane r at dst[(s * kc + d) * 4 + r].
void pack_a(const GemmOperand& a, int m, int k0, int kc, float* dst) {
  for (int s = 0; s * kRows < m; ++s) {
    const int rows = std::min(kRows, m - s * kRows);
    float* out = dst + size_t(s) * kc * kRows;
    if (a.transposed && rows == kRows) {
      // A transposed weight (a transposed convolution's W^T): each depth's 4 rows lie side by side in memory.
      const float* src = a.data + size_t(k0) * a.ld + s * kRows;
      for (int d = 0; d < kc; ++d) std::memcpy(out + d * kRows, src + size_t(d) * a.ld, sizeof(float) * kRows);
      continue;
    }
    for (int d = 0; d < kc; ++d) {
      for (int r = 0; r < rows; ++r) out[d * kRows + r] = element(a, s * kRows + r, k0 + d);
      for (int r = rows; r < kRows; ++r) out[d * kRows + r] = 0.0f;
    }
  }
}

#ifdef __wasm_simd128__
// 4 depths of 4 stored rows (columns of op(B)) -> 4 packed rows of 4 lanes: a 4x4 transpose in registers.
inline void transpose4(const float* src, size_t ld, float* dst) {
  const v128_t r0 = wasm_v128_load(src), r1 = wasm_v128_load(src + ld), r2 = wasm_v128_load(src + 2 * ld),
               r3 = wasm_v128_load(src + 3 * ld);
  const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  const v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(dst, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
  wasm_v128_store(dst + kCols, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
  wasm_v128_store(dst + 2 * kCols, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
  wasm_v128_store(dst + 3 * kCols, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
}
#endif

// Columns [j0, j0 + 8) of op(B), depth [k0, k0 + kc): dst[d * 8 + c], zero past column n.
void pack_b(const GemmOperand& b, int n, int j0, int k0, int kc, float* dst) {
  const int cols = std::min(kCols, n - j0);
  if (!b.transposed && cols == kCols) {
    for (int d = 0; d < kc; ++d) std::memcpy(dst + d * kCols, b.data + size_t(k0 + d) * b.ld + j0, sizeof(float) * kCols);
    return;
  }
  int d0 = 0;
#ifdef __wasm_simd128__
  // A transposed B (x W^T, the forward pass) gathers across rows: scalar, that cost a third of the product.
  if (b.transposed && cols == kCols) {
    const float* src = b.data + size_t(j0) * b.ld + k0;
    for (; d0 + 4 <= kc; d0 += 4) {
      transpose4(src + d0, size_t(b.ld), dst + d0 * kCols);
      transpose4(src + 4 * size_t(b.ld) + d0, size_t(b.ld), dst + d0 * kCols + 4);
    }
  }
#endif
  for (int d = d0; d < kc; ++d) {
    for (int c = 0; c < cols; ++c) dst[d * kCols + c] = element(b, k0 + d, j0 + c);
    for (int c = cols; c < kCols; ++c) dst[d * kCols + c] = 0.0f;
  }
}

// Stores a finished 4x8 tile into C (only its `rows` x `cols` valid part), adding to C when `add`.
inline void store_tile(const float (&tile)[kRows][kCols], float* c, int ldc, int rows, int cols, bool add) {
  for (int r = 0; r < rows; ++r) {
    float* dst = c + size_t(r) * ldc;
    if (add)
      for (int j = 0; j < cols; ++j) dst[j] += tile[r][j];
    else
      for (int j = 0; j < cols; ++j) dst[j] = tile[r][j];
  }
}

#ifdef __wasm_simd128__

// 8 accumulators; per depth step two loads of B, four broadcasts of A, eight multiplies and eight adds (wasm's
// 128-bit SIMD has no fused multiply-add). B's depth d is the 8 floats at bp + d * ldb: a packed panel (ldb 8) or
// op(B)'s own rows where they lie.
void kernel(int kc, const float* ap, const float* bp, int ldb, float* c, int ldc, int rows, int cols, bool add) {
  v128_t acc[kRows][2];
  for (int r = 0; r < kRows; ++r) acc[r][0] = acc[r][1] = wasm_f32x4_splat(0.0f);
  for (int d = 0; d < kc; ++d) {
    const v128_t b0 = wasm_v128_load(bp + size_t(d) * ldb), b1 = wasm_v128_load(bp + size_t(d) * ldb + 4);
    for (int r = 0; r < kRows; ++r) {
      const v128_t av = wasm_v128_load32_splat(ap + d * kRows + r);
      acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_f32x4_mul(av, b0));
      acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_f32x4_mul(av, b1));
    }
  }
  if (rows == kRows && cols == kCols) {
    for (int r = 0; r < kRows; ++r) {
      float* dst = c + size_t(r) * ldc;
      if (add) {
        acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_v128_load(dst));
        acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_v128_load(dst + 4));
      }
      wasm_v128_store(dst, acc[r][0]);
      wasm_v128_store(dst + 4, acc[r][1]);
    }
    return;
  }
  alignas(16) float tile[kRows][kCols];
  for (int r = 0; r < kRows; ++r) {
    wasm_v128_store(tile[r], acc[r][0]);
    wasm_v128_store(tile[r] + 4, acc[r][1]);
  }
  store_tile(tile, c, ldc, rows, cols, add);
}

#else

// The same tile in portable C++; the compiler vectorises the 8-wide inner loop.
void kernel(int kc, const float* ap, const float* bp, int ldb, float* c, int ldc, int rows, int cols, bool add) {
  float tile[kRows][kCols] = {};
  for (int d = 0; d < kc; ++d) {
    const float* b = bp + size_t(d) * ldb;
    for (int r = 0; r < kRows; ++r) {
      const float av = ap[d * kRows + r];
      for (int j = 0; j < kCols; ++j) tile[r][j] += av * b[j];
    }
  }
  store_tile(tile, c, ldc, rows, cols, add);
}

#endif

}  // namespace

void packed_gemm(int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc, bool accumulate) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int i = 0; i < m; ++i) std::fill(c + size_t(i) * ldc, c + size_t(i) * ldc + n, 0.0f);
    return;
  }
  const int strips = (m + kRows - 1) / kRows;
  // All of op(A), packed once on the calling thread and shared: block k0 starts at strips * 4 * k0.
  thread_local std::vector<float> packed_a;
  packed_a.resize(size_t(strips) * kRows * k);
  for (int k0 = 0; k0 < k; k0 += kDepth)
    pack_a(a, m, k0, std::min(kDepth, k - k0), packed_a.data() + size_t(strips) * kRows * k0);
  const float* pa = packed_a.data();

  const size_t panels = size_t(n + kCols - 1) / kCols;
  const double flops = 2.0 * m * n * k;
  // With a few rows of A (an inversion's starts, one digit of the viewer), each panel of B serves one or two
  // strips, and packing it cost as much as the product. An untransposed B already holds each depth's 8 columns
  // side by side: the kernel reads a full panel where it lies, summing in the same order (the same result).
  const bool read_b_in_place = !b.transposed && strips <= 2;
  parallel_chunks(panels, [&](size_t first, size_t last) {
    alignas(16) float packed_b[kDepth * kCols];
    for (int k0 = 0; k0 < k; k0 += kDepth) {
      const int kc = std::min(kDepth, k - k0);
      const float* block = pa + size_t(strips) * kRows * k0;
      const bool add = accumulate || k0 > 0;
      for (size_t p = first; p < last; ++p) {
        const int j0 = int(p) * kCols;
        const int cols = std::min(kCols, n - j0);
        const bool in_place = read_b_in_place && cols == kCols;
        if (!in_place) pack_b(b, n, j0, k0, kc, packed_b);
        const float* panel = in_place ? b.data + size_t(k0) * b.ld + j0 : packed_b;
        const int ldb = in_place ? b.ld : kCols;
        for (int s = 0; s < strips; ++s)
          kernel(kc, block + size_t(s) * kc * kRows, panel, ldb, c + size_t(s) * kRows * ldc + j0, ldc,
                 std::min(kRows, m - s * kRows), cols, add);
      }
    }
  }, 1, worth_sharing(flops) ? 2 : SIZE_MAX);
}

}  // namespace gan
