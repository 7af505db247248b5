// Eigen parallelises GEMM with OpenMP when it is built with it; otherwise this is a no-op reporting 1.
#include "threads.h"

#include <Eigen/Core>
#include <thread>

namespace gan {

int set_threads(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Eigen::setNbThreads(threads);
  return Eigen::nbThreads();
}

}  // namespace gan
