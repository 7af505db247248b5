// The CPU training backend: the model's own train_step, batch by batch.
#include "train_backend.h"

namespace gan {

CpuTrainBackend::CpuTrainBackend(GanModel& model, const Matrix& images, const std::vector<uint8_t>* labels,
                                 int threads)
    : model_(model),
      sampler_(images, model.config().batch, model.config().seed, model.config().classes > 0 ? labels : nullptr),
      threads_(threads) {}

CpuTrainBackend::CpuTrainBackend(Gan& gan, const Matrix& images, const std::vector<uint8_t>* labels, int threads)
    : view_(std::make_unique<MlpGanModel>(gan)),
      model_(*view_),
      sampler_(images, gan.config().batch, gan.config().seed, gan.config().classes > 0 ? labels : nullptr),
      threads_(threads) {}

std::vector<StepStats> CpuTrainBackend::run(int64_t steps) {
  std::vector<StepStats> stats;
  stats.reserve(static_cast<size_t>(steps));
  const bool conditional = model_.config().classes > 0;
  for (int64_t i = 0; i < steps; ++i) {
    sampler_.fill_for_step(model_.steps_taken(), batch_, conditional ? &labels_ : nullptr);
    stats.push_back(model_.train_step(batch_, conditional ? &labels_ : nullptr));
  }
  return stats;
}

std::string CpuTrainBackend::describe() const {
  return "cpu, " + std::to_string(threads_) + (threads_ == 1 ? " thread" : " threads");
}

}  // namespace gan
