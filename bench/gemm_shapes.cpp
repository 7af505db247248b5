// Micro-benchmark of Eigen's single-threaded GEMM on the seed's layer shapes, in the layouts the core could use.
// Shows why Linear::forward computes into a column-major result: run build/release/bench/gemm_shapes.
#include <Eigen/Core>
#include <cstdio>

#include "best_time.h"

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ColMajor = Eigen::MatrixXf;

template <class F>
double gflops(double flops, F&& f) {
  return flops / best_seconds_per_call(f) * 1e-9;
}

}  // namespace

int main() {
  Eigen::setNbThreads(1);
  const int shapes[][3] = {{120, 100, 256},  {120, 256, 512},  {120, 512, 1024}, {120, 1024, 784},
                           {120, 784, 1024}, {120, 1024, 512}, {120, 512, 256},  {60, 784, 1024}};
  std::printf("GFLOP/s of y = x W^T (x [n, in], W [out, in] row-major), one thread\n");
  std::printf("%5s %5s %5s  %18s  %18s  %14s %14s\n", "n", "in", "out", "row-major result", "col-major result",
              "dX = dY W", "dW = dY^T x");
  for (const auto& s : shapes) {
    const int n = s[0], in = s[1], out = s[2];
    RowMajor x = RowMajor::Random(n, in), w = RowMajor::Random(out, in), y(n, out), dy = RowMajor::Random(n, out);
    RowMajor dx(n, in), dw(out, in);
    ColMajor yc(n, out);
    const double flops = 2.0 * n * in * out;
    std::printf("%5d %5d %5d  %18.1f  %18.1f  %14.1f %14.1f\n", n, in, out,
                gflops(flops, [&] { y.noalias() = x * w.transpose(); }),
                gflops(flops, [&] { yc.noalias() = x * w.transpose(); }), gflops(flops, [&] { dx.noalias() = dy * w; }),
                gflops(flops, [&] { dw.noalias() = dy.transpose() * x; }));
  }
}
