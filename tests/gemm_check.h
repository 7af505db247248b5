// One check of a GEMM kernel against Eigen's product, shared by the packed kernel's and the native engines' tests.
// Tolerance: 1e-5 relative to the sum of |a||b| over k (a kernel sums in another order than Eigen).
#pragma once
#include <catch2/catch.hpp>

#include "gan.h"
#include "matrix_product.h"

namespace gan {

// op(X) for a stored row-major matrix.
inline Matrix op(const Matrix& stored, bool transposed) { return transposed ? Matrix(stored.transpose()) : stored; }

// Runs `kernel` on seeded operands; C lives inside a wider matrix, so ldc differs from n and the columns beside it
// must stay untouched.
inline void check_gemm(GemmKernel kernel, int m, int n, int k, bool ta, bool tb, bool accumulate) {
  INFO("m " << m << " n " << n << " k " << k << " transA " << ta << " transB " << tb << " accumulate " << accumulate);
  const Matrix a = Gan::sample_z(uint64_t(m * 31 + k), ta ? k : m, ta ? m : k);
  const Matrix b = Gan::sample_z(uint64_t(n * 17 + k), tb ? n : k, tb ? k : n);
  Matrix c_wide = Gan::sample_z(5, m, n + 3);
  const Matrix before = c_wide;
  kernel(m, n, k, {a.data(), int(a.cols()), ta}, {b.data(), int(b.cols()), tb}, c_wide.data(), n + 3, accumulate);
  Matrix expected = op(a, ta) * op(b, tb);
  if (accumulate) expected += before.leftCols(n);
  const Matrix scale = op(a, ta).cwiseAbs() * op(b, tb).cwiseAbs();
  REQUIRE(((c_wide.leftCols(n) - expected).cwiseAbs() - 1e-5f * (scale.array() + 1.0f).matrix()).maxCoeff() <= 0.0f);
  REQUIRE(c_wide.rightCols(3) == before.rightCols(3));
}

// With no depth (k = 0) the kernel gives zeros, or leaves C alone when accumulating.
inline void check_gemm_empty_sum(GemmKernel kernel) {
  Matrix c = Matrix::Constant(3, 4, 2.0f);
  const float dummy = 0;
  kernel(3, 4, 0, {&dummy, 1}, {&dummy, 1}, c.data(), 4, true);
  REQUIRE(c == Matrix::Constant(3, 4, 2.0f));
  kernel(3, 4, 0, {&dummy, 1}, {&dummy, 1}, c.data(), 4, false);
  REQUIRE(c == Matrix::Zero(3, 4));
}

}  // namespace gan
