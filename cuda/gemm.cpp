// cuBLAS SGEMM calls for the Linear layer's products.
#include "gemm.h"

#include "cuda_context.h"

namespace gan::cuda {

namespace {
const float kOne = 1.0f, kZero = 0.0f;
}

void linear_forward(cublasHandle_t h, const float* x, const float* w, float* y, int rows, int in, int out) {
  // Column-major: y^T[out, rows] = W[out, in] (stored as W^T, ld in) * x^T[in, rows].
  check(cublasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, out, rows, in, &kOne, w, in, x, in, &kZero, y, out), "linear_forward");
}

void linear_weight_grad(cublasHandle_t h, const float* grad_y, const float* x, float* grad_w, int rows, int in, int out) {
  // Column-major: grad_w^T[in, out] = x^T[in, rows] * grad_y[rows, out].
  check(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_T, in, out, rows, &kOne, x, in, grad_y, out, &kZero, grad_w, in),
        "linear_weight_grad");
}

void linear_input_grad(cublasHandle_t h, const float* grad_y, const float* w, float* grad_x, int rows, int in, int out) {
  // Column-major: grad_x^T[in, rows] = W^T[in, out] * grad_y^T[out, rows].
  check(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, in, rows, out, &kOne, w, in, grad_y, out, &kZero, grad_x, in),
        "linear_input_grad");
}

}  // namespace gan::cuda
