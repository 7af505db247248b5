// cuBLAS SGEMM calls for the Linear layer's products (their operands in gemm_calls.h).
#include "gemm.h"

#include "cuda_context.h"
#include "gemm_calls.h"

namespace gan::cuda {

namespace {

// C = op(A) op(B) through cuBLAS, named `what` in its error.
auto cublas_sgemm(cublasHandle_t h, const char* what) {
  return [h, what](bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                   float* c, int ldc) {
    const float one = 1.0f, zero = 0.0f;
    check(cublasSgemm(h, trans_a ? CUBLAS_OP_T : CUBLAS_OP_N, trans_b ? CUBLAS_OP_T : CUBLAS_OP_N, m, n, k, &one, a,
                      lda, b, ldb, &zero, c, ldc),
          what);
  };
}

}  // namespace

void linear_forward(cublasHandle_t h, const float* x, const float* w, float* y, int rows, int in, int out) {
  linear_forward_call(cublas_sgemm(h, "linear_forward"), x, w, y, rows, in, out);
}

void linear_weight_grad(cublasHandle_t h, const float* grad_y, const float* x, float* grad_w, int rows, int in, int out) {
  linear_weight_grad_call(cublas_sgemm(h, "linear_weight_grad"), grad_y, x, grad_w, rows, in, out);
}

void linear_input_grad(cublasHandle_t h, const float* grad_y, const float* w, float* grad_x, int rows, int in, int out) {
  linear_input_grad_call(cublas_sgemm(h, "linear_input_grad"), grad_y, w, grad_x, rows, in, out);
}

}  // namespace gan::cuda
