// A training run held in memory, as `gan train` runs it step by step but without files: a GanModel of any
// architecture, its data and batch order, the fixed latent vectors of the sample grid, and the last good state to
// go back to when a step diverges. The page's training worker drives one.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "batches.h"
#include "gan_model.h"
#include "sample_grid.h"

namespace gan {

// What one call of TrainingSession::step did.
struct SessionStep {
  StepStats stats;
  int64_t step = 0;          // the step just taken (counted from 1), or the one that diverged
  bool diverged = false;     // a loss was NaN or infinite: the session went back to last_good_step()
};

// The training digits: [count, 784] images in [-1, 1] and, for conditional models, one label per image. Shared, so
// that a new session on the same data copies nothing.
struct TrainingData {
  std::shared_ptr<const Matrix> images;
  std::shared_ptr<const std::vector<uint8_t>> labels;  // null when the labels are not loaded
  std::string name = "mnist";
};

class TrainingSession {
 public:
  // The state is kept as the last good one every `snapshot_every` steps. Throws std::invalid_argument when the
  // data cannot train the model (a batch larger than the data; a conditional model without labels).
  TrainingSession(TrainingData data, std::unique_ptr<GanModel> model, int64_t snapshot_every = 100);

  const GanModel& model() const { return *model_; }
  int64_t step_count() const { return model_->steps_taken(); }
  int64_t last_good_step() const { return last_good_->steps_taken(); }
  int64_t batches_per_epoch() const { return sampler_.batches_per_epoch(); }

  SessionStep step();
  // The sampling generator (the moving average when the model keeps one) on the grid's fixed latent vectors: the
  // digits `gan train` draws samples.png from.
  Matrix samples();
  const SampleGrid& sample_grid() const { return grid_; }

  TrainProgress progress() const;
  std::vector<uint8_t> checkpoint() const;  // what `gan train --resume` continues from
  std::vector<uint8_t> generator(DType dtype = DType::F32) const;

  // Tests only: report a NaN loss at this step once, as `gan train --inject-nan-at` does.
  void inject_nan_at(int64_t step) { inject_nan_at_ = step; }

 private:
  TrainingData data_;
  std::unique_ptr<GanModel> model_, last_good_;
  BatchSampler sampler_;
  SampleGrid grid_;
  int64_t snapshot_every_;
  int64_t inject_nan_at_ = 0;
  Matrix batch_;
  std::vector<int> batch_labels_;
};

// A model whose generator starts from a generator file's weights (any architecture; its z size and classes taken
// from the file) and whose discriminator and optimizers start fresh from config.seed: training on from a generator
// file, which holds no D or Adam state. FormatError for a file that is not a generator.
std::unique_ptr<GanModel> model_from_generator(const uint8_t* data, size_t size, GanConfig config);
// The same from an MLP generator already loaded.
Gan gan_from_generator(const Mlp& generator, GanConfig config);

// A checkpoint's model (any architecture) for a session on `image_count` images: it must have been trained on as
// many. FormatError otherwise.
std::unique_ptr<GanModel> model_from_checkpoint(const uint8_t* data, size_t size, int64_t image_count);

}  // namespace gan
