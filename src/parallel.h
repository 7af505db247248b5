// Splits loops across the cores: OpenMP natively, a small helper pool in wasm built with threads, serial otherwise.
#pragma once
#include <cstddef>
#ifdef _OPENMP
#include <omp.h>
#elif defined(__EMSCRIPTEN_PTHREADS__)
#include "thread_pool.h"
#endif

namespace gan {

// Whether helper threads would start a job at once: in wasm with threads, while the pool's helpers are polling
// (a sleeping helper takes 0.3-0.5 ms to wake in a browser); always elsewhere.
inline bool helpers_awake() {
#if !defined(_OPENMP) && defined(__EMSCRIPTEN_PTHREADS__)
  return pool_polling();
#else
  return true;
#endif
}

// Whether a matrix product of `flops` is worth sharing with the helpers. A sleeping helper is woken only for one
// that takes the calling thread over 0.5 ms alone (35 GFLOP/s in a page): one DCGAN digit's first transposed
// convolution (13 MFLOP, a slider move) stays on the calling thread.
inline bool worth_sharing(double flops) { return flops >= (helpers_awake() ? 4e6 : 2e7); }

// Calls fn(begin, end) on disjoint chunks covering [0, n); chunk boundaries are multiples of `align`.
// Work below `min_parallel` elements stays on the calling thread, where threading costs more than it saves.
template <class Fn>
void parallel_chunks(size_t n, Fn&& fn, size_t align = 16, size_t min_parallel = 1 << 15) {
#ifdef _OPENMP
  if (n >= min_parallel) {
#pragma omp parallel
    {
      const size_t threads = static_cast<size_t>(omp_get_num_threads());
      const size_t t = static_cast<size_t>(omp_get_thread_num());
      const size_t per = ((n + threads - 1) / threads + align - 1) / align * align;
      const size_t begin = t * per < n ? t * per : n, end = begin + per < n ? begin + per : n;
      if (begin < end) fn(begin, end);
    }
    return;
  }
#elif defined(__EMSCRIPTEN_PTHREADS__)
  if (n >= min_parallel && pool_threads() > 1) {
    // Four parts a thread, claimed as threads come free: a helper held up on a busy machine costs the caller one
    // part's wait at most. Each part's result is the same whichever thread runs it.
    const size_t wanted = 4 * pool_threads();
    const size_t per = ((n + wanted - 1) / wanted + align - 1) / align * align;
    run_on_pool((n + per - 1) / per, [&](size_t p) { fn(p * per, p * per + per < n ? p * per + per : n); });
    return;
  }
#endif
  (void)min_parallel;
  (void)align;
  fn(size_t{0}, n);
}

}  // namespace gan
