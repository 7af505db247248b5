// Finite-difference gradient checking shared by the layer, loss and training-step tests.
#pragma once
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

namespace gan::testing {

// Compares analytic gradients `grad` of f at `x` (n values) with central differences, on the `count` entries of
// largest analytic gradient plus `count` evenly spaced ones. f must be evaluated without changing its randomness.
// Returns the worst |fd - analytic| / (abs_tol + rel_tol * |analytic|), which must be <= 1.
inline double check_gradient(float* x, const float* grad, size_t n, const std::function<double()>& f, float h,
                             double rel_tol, double abs_tol, size_t count = 12) {
  std::vector<size_t> idx(n);
  std::iota(idx.begin(), idx.end(), size_t{0});
  const size_t top = std::min(count, n);
  std::partial_sort(idx.begin(), idx.begin() + static_cast<long>(top), idx.end(),
                    [&](size_t a, size_t b) { return std::fabs(grad[a]) > std::fabs(grad[b]); });
  std::vector<size_t> picks(idx.begin(), idx.begin() + static_cast<long>(top));
  for (size_t k = 0; k < count && n > 0; ++k) picks.push_back(k * n / count);
  double worst = 0;
  for (size_t i : picks) {
    const float saved = x[i];
    x[i] = saved + h;
    const double up = f();
    x[i] = saved - h;
    const double down = f();
    x[i] = saved;
    const double fd = (up - down) / (2.0 * static_cast<double>(h));
    const double err = std::fabs(fd - grad[i]) / (abs_tol + rel_tol * std::fabs(grad[i]));
    if (err > 1.0) UNSCOPED_INFO("entry " << i << ": finite difference " << fd << " vs analytic " << grad[i]);
    worst = std::max(worst, err);
  }
  return worst;
}

}  // namespace gan::testing
