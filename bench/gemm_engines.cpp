// The GEMM libraries Debian offers, on the seed's exact product shapes, the way the layers call them: each of the
// threads multiplies its share of the features on one core (Linear's split), and each library's own threading on
// the whole product. Run build/release/bench/gemm_engines [threads] on an idle machine; docs/benchmarks.md has a run.
// OpenBLAS and BLIS are opened at run time (both define cblas_sgemm), oneDNN and Eigen are linked.
#include <dlfcn.h>
#include <dnnl.h>
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "best_time.h"

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// cblas_sgemm(order, transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc), row-major order 101.
using Cblas = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
constexpr int kRowMajor = 101, kNo = 111, kYes = 112;

// A single-threaded row-major product C[m,n] = op(A) op(B) by one library.
using Kernel = std::function<void(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b,
                                  int ldb, float* c, int ldc)>;

struct Library {
  std::string name;
  Kernel kernel;                         // on the calling thread
  std::function<void(int)> set_threads;  // for the library's own threading
};

Kernel cblas_kernel(Cblas f) {
  return [f](bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
             int ldc) { f(kRowMajor, ta ? kYes : kNo, tb ? kYes : kNo, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc); };
}

std::vector<Library> libraries() {
  using Map = Eigen::Map<const RowMajor, 0, Eigen::OuterStride<>>;
  std::vector<Library> libs;
  libs.push_back(
      {"Eigen",
       [](bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
         const Map am(a, ta ? k : m, ta ? m : k, Eigen::OuterStride<>(lda));
         const Map bm(b, tb ? n : k, tb ? k : n, Eigen::OuterStride<>(ldb));
         Eigen::Map<RowMajor, 0, Eigen::OuterStride<>> cm(c, m, n, Eigen::OuterStride<>(ldc));
         if (ta)
           cm.noalias() = am.transpose() * bm;
         else if (tb)
           cm.noalias() = am * bm.transpose();
         else
           cm.noalias() = am * bm;
       },
       [](int t) { Eigen::setNbThreads(t); }});
  libs.push_back(
      {"oneDNN",
       [](bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
         dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
       },
       [](int t) { omp_set_num_threads(t); }});
  const std::pair<const char*, const char*> opened[] = {
      {"OpenBLAS", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"},
      {"BLIS", "/usr/lib/x86_64-linux-gnu/blis-openmp/libblis.so.4"}};
  for (const auto& [name, path] : opened) {
    void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      std::printf("(%s not installed: %s)\n", name, path);
      continue;
    }
    auto threads = reinterpret_cast<void (*)(int)>(
        dlsym(lib, std::string(name) == "BLIS" ? "bli_thread_set_num_threads" : "openblas_set_num_threads"));
    libs.push_back({name, cblas_kernel(reinterpret_cast<Cblas>(dlsym(lib, "cblas_sgemm"))), threads});
  }
  return libs;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  if (std::getenv("OPENBLAS_CORETYPE"))
    std::printf("note: OPENBLAS_CORETYPE is set; it picks OpenBLAS's kernels (run with env -u OPENBLAS_CORETYPE)\n");
  std::vector<Library> libs = libraries();
  // Layers of the seed's G and D at 120 rows (G's forward over both steps' z, D on real and fake) and 60.
  const int shapes[][3] = {{120, 100, 256},  {120, 256, 512},  {120, 512, 1024}, {120, 1024, 784},
                           {120, 784, 1024}, {120, 1024, 512}, {120, 512, 256},  {60, 784, 1024},
                           {60, 1024, 512},  {60, 512, 1024},  {60, 1024, 784}};
  const char* ops[] = {"y = x W^T", "dX = dY W", "dW = dY^T x"};
  std::printf("GFLOP/s, %d threads: each library split by feature across the threads / with its own threading\n",
              threads);
  std::printf("%4s %5s %5s  %-12s", "rows", "in", "out", "product");
  for (const Library& lib : libs) std::printf(" %17s", lib.name.c_str());
  std::printf("\n");
  for (const auto& s : shapes) {
    const int n = s[0], in = s[1], out = s[2];
    RowMajor x = RowMajor::Random(n, in), w = RowMajor::Random(out, in), dy = RowMajor::Random(n, out);
    RowMajor y(n, out), dx(n, in), dw(out, in);
    const double flops = 2.0 * n * in * out;
    for (int op = 0; op < 3; ++op) {
      std::printf("%4d %5d %5d  %-12s", n, in, out, ops[op]);
      // The product restricted to features [b, b + c): output columns for y and dW's rows, input columns for dX.
      auto part = [&](const Kernel& k, int b, int c) {
        if (op == 0)
          k(false, true, n, c, in, x.data(), in, w.data() + b * in, in, y.data() + b, out);
        else if (op == 1)
          k(false, false, n, c, out, dy.data(), out, w.data() + b, in, dx.data() + b, in);
        else
          k(true, false, c, in, n, dy.data() + b, out, x.data(), in, dw.data() + b * in, in);
      };
      const int features = op == 1 ? in : out;
      for (Library& lib : libs) {
        lib.set_threads(1);
        const double split = best_seconds_per_call([&] {
#pragma omp parallel num_threads(threads)
          {
            const int t = omp_get_thread_num(), k = omp_get_num_threads();
            const int b = features * t / k / 16 * 16, e = t == k - 1 ? features : features * (t + 1) / k / 16 * 16;
            part(lib.kernel, b, e - b);
          }
        });
        lib.set_threads(threads);
        const double own = best_seconds_per_call([&] { part(lib.kernel, 0, features); });
        std::printf("      %5.0f / %5.0f", flops / split * 1e-9, flops / own * 1e-9);
      }
      std::printf("\n");
    }
  }
  RowMajor a = RowMajor::Random(1024, 1024), b = RowMajor::Random(1024, 1024), c(1024, 1024);
  std::printf("1024^3 with its own threading:");
  for (Library& lib : libs) {
    lib.set_threads(threads);
    const double t = best_seconds_per_call(
        [&] { lib.kernel(false, false, 1024, 1024, 1024, a.data(), 1024, b.data(), 1024, c.data(), 1024); });
    std::printf("  %s %.0f", lib.name.c_str(), 2.0 * 1024 * 1024 * 1024 / t * 1e-9);
  }
  std::printf(" GFLOP/s\n");
}
