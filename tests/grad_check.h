// Finite-difference gradient checking shared by the layer, loss and training-step tests.
#pragma once
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include "mlp.h"

namespace gan::testing {

// A [rows, cols] matrix of N(0, scale^2) values from `seed`.
inline Matrix random_matrix(int rows, int cols, uint64_t seed, float scale = 1.0f) {
  Matrix m(rows, cols);
  Rng rng(seed);
  rng.normal(m.data(), static_cast<size_t>(m.size()));
  return m * scale;
}

// A scalar probe of an output: sum(y .* r) in double, so dL/dy = r.
inline double project(const Matrix& y, const Matrix& r) {
  return (y.cast<double>().array() * r.cast<double>().array()).sum();
}

// Compares analytic gradients `grad` of f at `x` (n values) with central differences, on the `count` entries of
// largest analytic gradient plus `count` evenly spaced ones. f must be evaluated without changing its randomness.
// LeakyReLU has a kink at 0: an entry that fails at step h is retried at h/8; if the two estimates disagree with each
// other a kink lies within h of the point and the entry is skipped (at most a quarter of the entries may be).
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
  auto central = [&](size_t i, float step) {
    const float saved = x[i];
    x[i] = saved + step;
    const double up = f();
    x[i] = saved - step;
    const double down = f();
    x[i] = saved;
    return (up - down) / (2.0 * static_cast<double>(step));
  };
  double worst = 0;
  size_t skipped = 0;
  for (size_t i : picks) {
    const double tol = abs_tol + rel_tol * std::fabs(grad[i]);
    const double coarse = central(i, h);
    double err = std::fabs(coarse - grad[i]) / tol;
    if (err > 1.0) {
      // A wrong gradient disagrees at every step size; a kink within h makes the two estimates disagree.
      const double fine = central(i, h / 8);
      if (std::fabs(fine - grad[i]) <= tol) {
        err = std::fabs(fine - grad[i]) / tol;
      } else if (std::fabs(fine - coarse) > tol) {
        ++skipped;
        continue;
      }
    }
    if (err > 1.0) UNSCOPED_INFO("entry " << i << ": finite difference " << coarse << " vs analytic " << grad[i]);
    worst = std::max(worst, err);
  }
  if (skipped * 4 > picks.size()) {
    UNSCOPED_INFO(skipped << " of " << picks.size() << " entries sat on a kink");
    return 2.0;
  }
  return worst;
}

// Every parameter of `probe` against the analytic gradients that `trained` holds after a step, through loss f
// (which must evaluate `probe`), at the tolerances of the GAN-step tests.
inline void check_mlp_gradients(Mlp& probe, Mlp& trained, const std::function<double()>& f, const char* net) {
  auto params = probe.params();
  auto grads = trained.params();
  for (size_t p = 0; p < params.size(); ++p) {
    INFO(net << " parameter " << probe.param_names()[p]);
    CHECK(check_gradient(params[p].value, grads[p].grad, params[p].size, f, 2e-3f, 2e-2, 2e-4) <= 1.0);
  }
}

}  // namespace gan::testing
