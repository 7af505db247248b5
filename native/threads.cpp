// Eigen parallelises GEMM with OpenMP when built with it, and so do the core's element-wise loops; else a no-op.
#include "threads.h"

#include <Eigen/Core>
#include <thread>
#ifdef _OPENMP
#include <omp.h>
#endif

namespace gan {

int set_threads(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Eigen::setNbThreads(threads);
#ifdef _OPENMP
  omp_set_num_threads(threads);  // the core's own parallel loops (Adam, RNG) follow the same setting
#endif
  return Eigen::nbThreads();
}

}  // namespace gan
