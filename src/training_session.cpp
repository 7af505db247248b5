// Step-by-step training in memory with a fall-back state; no files, no clocks.
#include "training_session.h"

#include <cmath>
#include <limits>

#include "format_error.h"

namespace gan {

TrainingSession::TrainingSession(std::shared_ptr<const Matrix> images, std::string dataset, Gan gan, int64_t snapshot_every)
    : images_(std::move(images)),
      dataset_(std::move(dataset)),
      gan_(std::make_unique<Gan>(std::move(gan))),
      sampler_(*images_, gan_->config().batch, gan_->config().seed),
      snapshot_every_(snapshot_every < 1 ? 1 : snapshot_every) {
  last_good_ = std::make_unique<Gan>(*gan_);
  fixed_z_ = Gan::sample_z(samples_seed(), 25, gan_->config().z_dim);
}

uint64_t TrainingSession::samples_seed() const {
  return derive_seed(gan_->config().seed, static_cast<uint64_t>(Stream::FixedZ));
}

SessionStep TrainingSession::step() {
  SessionStep result;
  sampler_.fill_for_step(gan_->step, batch_);
  result.stats = gan_->train_step(batch_);
  result.step = gan_->step;
  if (result.step == inject_nan_at_) {
    result.stats.d_loss = std::numeric_limits<double>::quiet_NaN();
    inject_nan_at_ = 0;  // once: the retried step trains normally
  }
  if (!std::isfinite(result.stats.d_loss) || !std::isfinite(result.stats.g_loss)) {
    result.diverged = true;
    *gan_ = *last_good_;
    return result;
  }
  if (gan_->step % snapshot_every_ == 0) *last_good_ = *gan_;
  return result;
}

Matrix TrainingSession::samples() { return gan_->generate(fixed_z_); }

TrainProgress TrainingSession::progress() const {
  const int64_t per_epoch = sampler_.batches_per_epoch();
  return TrainProgress{gan_->step / per_epoch, gan_->step % per_epoch, dataset_, images_->rows()};
}

std::vector<uint8_t> TrainingSession::checkpoint() const { return save_checkpoint(*gan_, progress()); }

std::vector<uint8_t> TrainingSession::generator(DType dtype) const {
  return save_generator(gan_->G, dataset_, gan_->step, dtype);
}

Gan gan_from_generator(const Mlp& generator, GanConfig config) {
  if (generator.spec().classes > 0)
    throw FormatError("this is a class-conditional generator; training here continues the seed's architecture only "
                      "(train it on with `gan train --resume` from its checkpoint)");
  config.z_dim = generator.spec().widths.front();
  Gan gan(config);
  const auto& from = generator.layers();
  auto& to = gan.G.layers();
  if (from.size() != to.size()) throw FormatError("the generator's layers do not match the seed's generator");
  for (size_t i = 0; i < to.size(); ++i) {
    if (from[i].weight.rows() != to[i].weight.rows() || from[i].weight.cols() != to[i].weight.cols())
      throw FormatError("the generator's layer sizes do not match the seed's generator");
    to[i].weight = from[i].weight;
    to[i].bias = from[i].bias;
  }
  return gan;
}

Gan gan_from_checkpoint(const uint8_t* data, size_t size, int64_t image_count) {
  TrainProgress progress;
  Gan gan = load_checkpoint(data, size, &progress);
  if (gan.config().classes > 0)
    throw FormatError("this is a class-conditional checkpoint; training here continues the seed's architecture only "
                      "(continue it with `gan train --resume`)");
  if (progress.dataset_size != image_count)
    throw FormatError("this checkpoint was trained on " + std::to_string(progress.dataset_size) + " images of \"" +
                      progress.dataset + "\", but this training set has " + std::to_string(image_count) +
                      "; train on the same images to continue it, or start a new run");
  return gan;
}

}  // namespace gan
