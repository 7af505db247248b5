// Closeness of a faster path's result to the CPU reference's, with a stated tolerance |got - cpu| <= abs + rel * |cpu|:
// the GPU tests and the host checks of the CUDA kernels' bodies.
#pragma once
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>
#include <string>

#include "tensor.h"

namespace gan::testing {

// Counts the elements outside the tolerance and reports the worst one.
struct Closeness {
  size_t outside = 0;
  double worst_excess = 0, worst_got = 0, worst_cpu = 0;
  size_t count = 0;
};

inline Closeness compare(const float* got, const float* cpu, size_t n, double abs_tol, double rel_tol) {
  Closeness c;
  c.count = n;
  for (size_t i = 0; i < n; ++i) {
    const double excess = std::fabs(double(got[i]) - cpu[i]) - (abs_tol + rel_tol * std::fabs(double(cpu[i])));
    if (!(excess <= 0)) {
      ++c.outside;
      if (!(excess <= c.worst_excess)) {
        c.worst_excess = excess;
        c.worst_got = got[i];
        c.worst_cpu = cpu[i];
      }
    }
  }
  return c;
}

inline std::string describe(const Closeness& c) {
  std::ostringstream s;
  s << c.outside << " of " << c.count << " outside; worst got " << c.worst_got << " cpu " << c.worst_cpu;
  return s.str();
}

// Every element within tolerance.
inline void require_close(const float* got, const float* cpu, size_t n, double abs_tol, double rel_tol) {
  const Closeness c = compare(got, cpu, n, abs_tol, rel_tol);
  INFO(describe(c));
  REQUIRE(c.outside == 0);
}

inline void require_close(const Matrix& got, const Matrix& cpu, double abs_tol, double rel_tol) {
  REQUIRE(got.rows() == cpu.rows());
  REQUIRE(got.cols() == cpu.cols());
  require_close(got.data(), cpu.data(), static_cast<size_t>(got.size()), abs_tol, rel_tol);
}

}  // namespace gan::testing
