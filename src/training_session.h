// The one training loop: a GanModel of any architecture stepped by a TrainBackend (this core on the CPU, or a
// device) on its data, the fixed latent vectors of the sample grid, and the last good state to go back to when a
// step diverges. `gan train` and the page's training worker both drive one; they only decide what is written where.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gan_model.h"
#include "sample_grid.h"
#include "train_backend.h"

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

// Makes the backend that steps `model` (which outlives it) on `data`.
using BackendMaker = std::function<std::unique_ptr<TrainBackend>(GanModel& model, const TrainingData& data)>;

class TrainingSession {
 public:
  // The state is kept as the last good one every `snapshot_every` steps. Throws std::invalid_argument when the
  // data cannot train the model (a batch larger than the data; a conditional model without labels). Without a
  // `make_backend`, the model trains on the CPU in this thread's pool.
  TrainingSession(TrainingData data, std::unique_ptr<GanModel> model, int64_t snapshot_every = 100,
                  const BackendMaker& make_backend = nullptr);

  // The model with every step so far (a device backend copies its state back first).
  GanModel& model() { return backend_->model(); }
  const TrainBackend& backend() const { return *backend_; }
  int64_t step_count() const { return step_; }
  int64_t last_good_step() const { return last_good_->steps_taken(); }
  int64_t batches_per_epoch() const { return per_epoch_; }

  // Takes up to `steps` steps, in calls of the backend that end at every snapshot, and stops after a diverged
  // step (a loss NaN or infinite): the model is then back at last_good_step(), and that step is the last returned.
  std::vector<SessionStep> run(int64_t steps);
  SessionStep step() { return run(1).front(); }
  // The sampling generator (the moving average when the model keeps one) on the grid's fixed latent vectors: the
  // digits `gan train` draws samples.png from.
  Matrix samples();
  const SampleGrid& sample_grid() const { return grid_; }

  TrainProgress progress() const;
  std::vector<uint8_t> checkpoint();  // what `gan train --resume` continues from
  std::vector<uint8_t> generator(DType dtype = DType::F32);

  // Tests only: report a NaN loss at this step once, as `gan train --inject-nan-at` does.
  void inject_nan_at(int64_t step) { inject_nan_at_ = step; }

 private:
  // The stats of the steps one backend call took, as SessionSteps; false when one diverged (then the last).
  bool record(const std::vector<StepStats>& taken, std::vector<SessionStep>& out);
  void roll_back();

  TrainingData data_;
  std::unique_ptr<GanModel> model_, last_good_;
  std::unique_ptr<TrainBackend> backend_;
  SampleGrid grid_;
  int64_t per_epoch_, snapshot_every_, step_;
  int64_t inject_nan_at_ = 0;
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
