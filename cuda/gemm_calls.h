// The Linear layer's three products on row-major matrices as column-major SGEMM calls (cuBLAS's convention), by the
// usual operand swap: row-major C = A B is column-major C^T = B^T A^T. The calls are templates over the SGEMM, so
// that gemm.cpp passes cuBLAS and the CPU tests a plain column-major loop, checking the operands on any machine.
#pragma once

namespace gan::cuda {

// An SGEMM is called as sgemm(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc):
// column-major C[m, n] = op(A)[m, k] op(B)[k, n], op transposing when asked.

// y[rows, out] = x[rows, in] W^T, W being [out, in].
template <class Sgemm>
void linear_forward_call(Sgemm&& sgemm, const float* x, const float* w, float* y, int rows, int in, int out) {
  // y^T[out, rows] = W[out, in] (stored as W^T, ld in) * x^T[in, rows].
  sgemm(true, false, out, rows, in, w, in, x, in, y, out);
}

// grad_w[out, in] = grad_y^T[out, rows] x[rows, in].
template <class Sgemm>
void linear_weight_grad_call(Sgemm&& sgemm, const float* grad_y, const float* x, float* grad_w, int rows, int in,
                             int out) {
  // grad_w^T[in, out] = x^T[in, rows] * grad_y[rows, out].
  sgemm(false, true, in, out, rows, x, in, grad_y, out, grad_w, in);
}

// grad_x[rows, in] = grad_y[rows, out] W.
template <class Sgemm>
void linear_input_grad_call(Sgemm&& sgemm, const float* grad_y, const float* w, float* grad_x, int rows, int in,
                            int out) {
  // grad_x^T[in, rows] = W^T[in, out] * grad_y^T[out, rows].
  sgemm(false, false, in, rows, out, w, in, grad_y, out, grad_x, in);
}

}  // namespace gan::cuda
