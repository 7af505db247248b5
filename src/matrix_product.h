// The matrix product of the CPU layers, C = op(A) op(B): Eigen (the reference), the packed SIMD kernel in wasm, or a
// tuned library's kernel that a native front end installs (native/gemm_engine.h).
#pragma once
#include "packed_gemm.h"

namespace gan {

// C[m, n] (row-major, leading dimension ldc) = op(A)[m, k] op(B)[k, n]; with accumulate, C += instead.
// Natively it runs on the calling thread (the layers split their products across the cores themselves).
using GemmKernel = void (*)(int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc, bool accumulate);

void gemm(int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc, bool accumulate = false);

// Makes `kernel` the engine of gemm() and of the Linear layers' products (called once, before any training);
// nullptr goes back to Eigen. The kernel must give the same bits for the same operands every time.
void install_gemm_kernel(const char* name, GemmKernel kernel);
bool gemm_kernel_installed();
// "Eigen" or the installed kernel's name ("packed wasm SIMD" in wasm).
const char* gemm_engine_name();

// Eigen's product, whatever is installed: the reference the kernels are tested against.
void eigen_gemm(int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc, bool accumulate = false);

}  // namespace gan
