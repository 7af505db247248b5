// Helpers of the GPU tests: host matrices to the device and back, and closeness of a GPU result to the CPU's with
// a stated tolerance |gpu - cpu| <= abs + rel * |cpu|.
#pragma once
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <vector>

#include "cuda_context.h"
#include "tensor.h"

namespace gan::testing {

inline cuda::DeviceArray<float> to_device(const Matrix& m) {
  cuda::DeviceArray<float> d(static_cast<size_t>(m.size()));
  d.upload(m.data(), d.size());
  return d;
}

inline Matrix to_host(const cuda::DeviceArray<float>& d, Eigen::Index rows, Eigen::Index cols) {
  Matrix m(rows, cols);
  d.download(m.data(), static_cast<size_t>(m.size()));
  return m;
}

// Counts the elements outside the tolerance and reports the worst one.
struct Closeness {
  size_t outside = 0;
  double worst_excess = 0, worst_gpu = 0, worst_cpu = 0;
  size_t count = 0;
};

inline Closeness compare(const float* gpu, const float* cpu, size_t n, double abs_tol, double rel_tol) {
  Closeness c;
  c.count = n;
  for (size_t i = 0; i < n; ++i) {
    const double excess = std::fabs(double(gpu[i]) - cpu[i]) - (abs_tol + rel_tol * std::fabs(double(cpu[i])));
    if (!(excess <= 0)) {
      ++c.outside;
      if (!(excess <= c.worst_excess)) {
        c.worst_excess = excess;
        c.worst_gpu = gpu[i];
        c.worst_cpu = cpu[i];
      }
    }
  }
  return c;
}

inline std::string describe(const Closeness& c) {
  std::ostringstream s;
  s << c.outside << " of " << c.count << " outside; worst gpu " << c.worst_gpu << " cpu " << c.worst_cpu;
  return s.str();
}

// Every element within tolerance.
inline void require_close(const float* gpu, const float* cpu, size_t n, double abs_tol, double rel_tol) {
  const Closeness c = compare(gpu, cpu, n, abs_tol, rel_tol);
  INFO(describe(c));
  REQUIRE(c.outside == 0);
}

inline void require_close(const Matrix& gpu, const Matrix& cpu, double abs_tol, double rel_tol) {
  REQUIRE(gpu.rows() == cpu.rows());
  REQUIRE(gpu.cols() == cpu.cols());
  require_close(gpu.data(), cpu.data(), static_cast<size_t>(gpu.size()), abs_tol, rel_tol);
}

}  // namespace gan::testing
