// A single-precision matrix product with packed operands and a hand-written wasm SIMD kernel, for builds where
// Eigen has no SIMD (wasm): C = op(A) op(B). Portable C++ elsewhere; Eigen's product is the reference it is tested
// against.
#pragma once

namespace gan {

// A row-major operand: element (r, c) of the stored matrix is data[r * ld + c]. With `transposed`, the product
// uses the stored matrix's transpose.
struct GemmOperand {
  const float* data;
  int ld;
  bool transposed = false;
};

// C[m, n] (row-major, leading dimension ldc) = op(A)[m, k] * op(B)[k, n]; with accumulate, C += instead.
// Columns of C are split between threads: each element is summed by one thread in the same order whatever the
// split, so the result does not depend on the thread count.
void packed_gemm(int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc, bool accumulate = false);

}  // namespace gan
