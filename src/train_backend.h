// The small interface that `gan train` and `gan bench` drive: a Gan training on its data set, on the CPU (this
// core) or on another device (the CUDA backend in cuda/), step for step the same schedule.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "batches.h"
#include "gan.h"

namespace gan {

class TrainBackend {
 public:
  virtual ~TrainBackend() = default;

  // Takes `steps` training steps, each on the batch the schedule gives its step number, and returns each one's
  // stats (the losses are what a run logs).
  virtual std::vector<StepStats> run(int64_t steps) = 0;
  // The Gan with every step run so far: weights, optimiser moments, moving average, step count. A device backend
  // copies its state back here before returning it; changing it does not change the backend.
  virtual Gan& gan() = 0;
  // How many steps one run() call should take for speed when nothing else needs doing between them.
  virtual int64_t steps_per_call() const = 0;
  // "cpu, 2 threads", "cuda: NVIDIA H200", ...
  virtual std::string describe() const = 0;
};

// The reference backend: Gan::train_step on batches from a BatchSampler, in this process's threads.
class CpuTrainBackend : public TrainBackend {
 public:
  // `images` (and `labels` for the conditional GAN) must outlive the backend; so must `gan`.
  CpuTrainBackend(Gan& gan, const Matrix& images, const std::vector<uint8_t>* labels, int threads);

  std::vector<StepStats> run(int64_t steps) override;
  Gan& gan() override { return gan_; }
  int64_t steps_per_call() const override { return 1; }
  std::string describe() const override;

 private:
  Gan& gan_;
  BatchSampler sampler_;
  int threads_;
  Matrix batch_;
  std::vector<int> labels_;
};

}  // namespace gan
