// The CPU training backend: the core's own train_step, batch by batch.
#include "train_backend.h"

namespace gan {

CpuTrainBackend::CpuTrainBackend(Gan& gan, const Matrix& images, const std::vector<uint8_t>* labels, int threads)
    : gan_(gan),
      sampler_(images, gan.config().batch, gan.config().seed, gan.config().classes > 0 ? labels : nullptr),
      threads_(threads) {}

std::vector<StepStats> CpuTrainBackend::run(int64_t steps) {
  std::vector<StepStats> stats;
  stats.reserve(static_cast<size_t>(steps));
  const bool conditional = gan_.config().classes > 0;
  for (int64_t i = 0; i < steps; ++i) {
    sampler_.fill_for_step(gan_.step, batch_, conditional ? &labels_ : nullptr);
    stats.push_back(gan_.train_step(batch_, conditional ? &labels_ : nullptr));
  }
  return stats;
}

std::string CpuTrainBackend::describe() const {
  return "cpu, " + std::to_string(threads_) + (threads_ == 1 ? " thread" : " threads");
}

}  // namespace gan
