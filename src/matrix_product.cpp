// Dispatch of the layers' matrix products to the engine in use, and Eigen's product as the reference.
#include "matrix_product.h"

#include <Eigen/Core>
#include <atomic>

namespace gan {

namespace {

std::atomic<GemmKernel> installed_kernel{nullptr};
std::atomic<const char*> installed_name{nullptr};

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMajor, 0, Eigen::OuterStride<>>;
using Map = Eigen::Map<RowMajor, 0, Eigen::OuterStride<>>;

}  // namespace

void eigen_gemm(int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc, bool accumulate) {
  const ConstMap am(a.data, a.transposed ? k : m, a.transposed ? m : k, Eigen::OuterStride<>(a.ld));
  const ConstMap bm(b.data, b.transposed ? n : k, b.transposed ? k : n, Eigen::OuterStride<>(b.ld));
  Map cm(c, m, n, Eigen::OuterStride<>(ldc));
  auto run = [&](const auto& x, const auto& y) {
    if (accumulate)
      cm.noalias() += x * y;
    else
      cm.noalias() = x * y;
  };
  if (a.transposed && b.transposed)
    run(am.transpose(), bm.transpose());
  else if (a.transposed)
    run(am.transpose(), bm);
  else if (b.transposed)
    run(am, bm.transpose());
  else
    run(am, bm);
}

void gemm(int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc, bool accumulate) {
#ifdef __wasm_simd128__
  packed_gemm(m, n, k, a, b, c, ldc, accumulate);
#else
  if (const GemmKernel kernel = installed_kernel.load(std::memory_order_relaxed))
    kernel(m, n, k, a, b, c, ldc, accumulate);
  else
    eigen_gemm(m, n, k, a, b, c, ldc, accumulate);
#endif
}

void install_gemm_kernel(const char* name, GemmKernel kernel) {
  installed_name.store(kernel ? name : nullptr);
  installed_kernel.store(kernel);
}

bool gemm_kernel_installed() { return installed_kernel.load(std::memory_order_relaxed) != nullptr; }

const char* gemm_engine_name() {
#ifdef __wasm_simd128__
  return "packed wasm SIMD";
#else
  const char* name = installed_name.load();
  return name ? name : "Eigen";
#endif
}

}  // namespace gan
