// The native GEMM engines: oneDNN's JIT SGEMM when the build found it, Eigen (the reference) otherwise.
#include "gemm_engine.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

#include "file_io.h"
#include "tensor.h"

#ifdef GAN_HAVE_ONEDNN
#include <dnnl.h>
#include <omp.h>

#include <stdexcept>
#endif

namespace gan {

namespace {

#ifdef GAN_HAVE_ONEDNN
void onednn_sgemm_on_this_thread(int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc,
                                 bool accumulate) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {  // an empty sum (oneDNN refuses the operands' strides then)
    if (!accumulate)
      for (int i = 0; i < m; ++i)
        std::fill(c + static_cast<size_t>(i) * ldc, c + static_cast<size_t>(i) * ldc + n, 0.0f);
    return;
  }
  // oneDNN threads its SGEMM with OpenMP unless called inside a parallel region; outside one it is held to this
  // thread, so a product gives the same bits whichever layer size decided to split the work.
  const bool nested = omp_in_parallel();
  const int threads = omp_get_max_threads();
  if (!nested) omp_set_num_threads(1);
  const dnnl_status_t status = dnnl_sgemm(a.transposed ? 'T' : 'N', b.transposed ? 'T' : 'N', m, n, k, 1.0f, a.data,
                                          a.ld, b.data, b.ld, accumulate ? 1.0f : 0.0f, c, ldc);
  if (!nested) omp_set_num_threads(threads);
  if (status != dnnl_success) throw std::runtime_error("oneDNN's SGEMM failed (status " + std::to_string(status) + ")");
}
#endif

// Best of five timed runs of `multiply` (after one untimed), as GFLOP/s of an n x n x n product.
template <class Fn>
double best_gflops(int n, Fn&& multiply) {
  multiply();
  double best = 1e30;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    multiply();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return 2.0 * n * n * static_cast<double>(n) / best * 1e-9;
}

}  // namespace

std::vector<SgemmPeak> sgemm_peaks(int n) {
  Matrix a = Matrix::Random(n, n), b = Matrix::Random(n, n), c(n, n);
  std::vector<SgemmPeak> peaks{{"Eigen", best_gflops(n, [&] { c.noalias() = a * b; })}};
#ifdef GAN_HAVE_ONEDNN
  peaks.push_back({"oneDNN", best_gflops(n, [&] {
                     dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
                   })});
#endif
  return peaks;
}

GemmKernel onednn_gemm_kernel() {
#ifdef GAN_HAVE_ONEDNN
  return onednn_sgemm_on_this_thread;
#else
  return nullptr;
#endif
}

const char* choose_gemm_engine() {
  const char* env = std::getenv("GAN_GEMM");
  const std::string wanted = env ? env : "";
  if (wanted.empty()) {
    install_gemm_kernel("oneDNN SGEMM", onednn_gemm_kernel());  // Eigen when the build has no oneDNN
  } else if (wanted == "eigen") {
    install_gemm_kernel(nullptr, nullptr);
  } else if (wanted == "onednn") {
    if (!onednn_gemm_kernel())
      throw UserError(
          "GAN_GEMM=onednn, but this build has no oneDNN; install libdnnl-dev and build again, or unset "
          "GAN_GEMM");
    install_gemm_kernel("oneDNN SGEMM", onednn_gemm_kernel());
  } else {
    throw UserError("GAN_GEMM='" + wanted + "' is not a matrix-product engine; set it to onednn or eigen, or unset it");
  }
  return gemm_engine_name();
}

}  // namespace gan
