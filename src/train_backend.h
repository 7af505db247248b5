// The small interface that a TrainingSession (`gan train`, the page) and `gan bench` drive: a GAN training on its
// data set, on the CPU (this core, any architecture) or on another device (the CUDA backend in cuda/, the MLPs),
// step for step the same schedule.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "batches.h"
#include "gan.h"
#include "gan_model.h"
#include "mlp_gan_model.h"

namespace gan {

class TrainBackend {
 public:
  virtual ~TrainBackend() = default;

  // Takes `steps` training steps, each on the batch the schedule gives its step number, and returns each one's
  // stats (the losses are what a run logs).
  virtual std::vector<StepStats> run(int64_t steps) = 0;
  // The model with every step run so far: weights, optimiser moments, moving average, step count. A device backend
  // copies its state back here before returning it; changing it does not change the backend.
  virtual GanModel& model() = 0;
  // Replaces the whole training state by `state` (an earlier clone of model()): the next run() goes on from there.
  virtual void restore(const GanModel& state) = 0;
  // How many steps one run() call should take for speed when nothing else needs doing between them.
  virtual int64_t steps_per_call() const = 0;
  // "cpu, 2 threads", "cuda: NVIDIA H200", ...
  virtual std::string describe() const = 0;
};

// A backend that trains the seed's MLP Gan (the CUDA backend): its Gan is there to read directly.
class MlpTrainBackend : public TrainBackend {
 public:
  // The Gan with every step run so far (a device backend copies its state back first).
  virtual Gan& gan() = 0;
};

// The reference backend: GanModel::train_step on batches from a BatchSampler, in this process's threads.
class CpuTrainBackend : public TrainBackend {
 public:
  // `images` (and `labels` for a conditional GAN) must outlive the backend; so must the model or `gan`.
  CpuTrainBackend(GanModel& model, const Matrix& images, const std::vector<uint8_t>* labels, int threads);
  CpuTrainBackend(Gan& gan, const Matrix& images, const std::vector<uint8_t>* labels, int threads);

  std::vector<StepStats> run(int64_t steps) override;
  GanModel& model() override { return model_; }
  void restore(const GanModel& state) override { model_.assign(state); }
  int64_t steps_per_call() const override { return 1; }
  std::string describe() const override;

 private:
  std::unique_ptr<MlpGanModel> view_;  // the Gan's model, when constructed from a Gan
  GanModel& model_;
  BatchSampler sampler_;
  int threads_;
  Matrix batch_;
  std::vector<int> labels_;
};

}  // namespace gan
