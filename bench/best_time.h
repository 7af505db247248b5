// The timing rule of the product micro-benchmarks: one untimed call, then the best of five runs of 20 calls.
#pragma once
#include <algorithm>
#include <chrono>

// Seconds per call of f(), at its best.
template <class F>
double best_seconds_per_call(F&& f) {
  f();
  double best = 1e30;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 20);
  }
  return best;
}
