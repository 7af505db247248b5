// A training run held in memory, as `gan train` runs it step by step but without files: the Gan, its data and batch
// order, the fixed latent vectors of the sample grid, and the last good state to go back to when a step diverges.
// The page's training worker drives one.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "batches.h"
#include "gan.h"
#include "weights.h"

namespace gan {

// What one call of TrainingSession::step did.
struct SessionStep {
  StepStats stats;
  int64_t step = 0;          // the step just taken (counted from 1), or the one that diverged
  bool diverged = false;     // a loss was NaN or infinite: the session went back to last_good_step()
};

class TrainingSession {
 public:
  // `images`: [count, 784] in [-1, 1], shared so that a new session on the same data copies nothing. The state
  // is kept as the last good one every `snapshot_every` steps.
  TrainingSession(std::shared_ptr<const Matrix> images, std::string dataset, Gan gan, int64_t snapshot_every = 100);

  const Gan& gan() const { return *gan_; }
  int64_t step_count() const { return gan_->step; }
  int64_t last_good_step() const { return last_good_->step; }
  int64_t batches_per_epoch() const { return sampler_.batches_per_epoch(); }

  SessionStep step();
  // G on the 25 fixed latent vectors of the sample grid, the ones `gan train` draws its samples.png from.
  Matrix samples();
  // The seed of those vectors (LatentGrid(G, 25, samples_seed()) draws the same ones).
  uint64_t samples_seed() const;

  TrainProgress progress() const;
  std::vector<uint8_t> checkpoint() const;  // what `gan train --resume` continues from
  std::vector<uint8_t> generator(DType dtype = DType::F32) const;

  // Tests only: report a NaN loss at this step once, as `gan train --inject-nan-at` does.
  void inject_nan_at(int64_t step) { inject_nan_at_ = step; }

 private:
  std::shared_ptr<const Matrix> images_;
  std::string dataset_;
  std::unique_ptr<Gan> gan_, last_good_;
  BatchSampler sampler_;
  int64_t snapshot_every_;
  int64_t inject_nan_at_ = 0;
  Matrix batch_, fixed_z_;
};

// A Gan whose generator starts from `generator`'s weights (z size taken from it) and whose discriminator and
// optimizers start fresh from config.seed: training on from a generator file, which holds no D or Adam state.
Gan gan_from_generator(const Mlp& generator, GanConfig config);

// A checkpoint's Gan for a session on `images`: the checkpoint must have been trained on as many images.
Gan gan_from_checkpoint(const uint8_t* data, size_t size, int64_t image_count);

}  // namespace gan
