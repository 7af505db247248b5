// The three matrix products of a Linear layer on row-major device matrices, through cuBLAS (column-major) by the
// usual operand swap: row-major C = A B is column-major C^T = B^T A^T.
#pragma once
#include <cublas_v2.h>

namespace gan::cuda {

// y[rows, out] = x[rows, in] W^T, W being [out, in].
void linear_forward(cublasHandle_t h, const float* x, const float* w, float* y, int rows, int in, int out);
// grad_w[out, in] = grad_y^T[out, rows] x[rows, in].
void linear_weight_grad(cublasHandle_t h, const float* grad_y, const float* x, float* grad_w, int rows, int in, int out);
// grad_x[rows, in] = grad_y[rows, out] W.
void linear_input_grad(cublasHandle_t h, const float* grad_y, const float* w, float* grad_x, int rows, int in, int out);

}  // namespace gan::cuda
