// Step-by-step training in memory with a fall-back state; no files, no clocks.
#include "training_session.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "format_error.h"
#include "gan_models.h"
#include "mlp_gan_model.h"
#include "network_files.h"

namespace gan {

namespace {

// The data must hold a batch, and a conditional model needs a label for every image.
const TrainingData& checked(const TrainingData& data, const GanModel& model) {
  if (!data.images) throw std::invalid_argument("no training images");
  const Eigen::Index count = data.images->rows();
  if (model.config().batch > count)
    throw std::invalid_argument("the batch size is larger than the " + std::to_string(count) + " training digits");
  if (model.config().classes > 0 && (!data.labels || static_cast<Eigen::Index>(data.labels->size()) != count))
    throw std::invalid_argument("a class-conditional model trains only with a label for every training digit, and "
                                "none were given");
  return data;
}

}  // namespace

TrainingSession::TrainingSession(TrainingData data, std::unique_ptr<GanModel> model, int64_t snapshot_every,
                                 const BackendMaker& make_backend)
    : data_(checked(data, *model)),
      model_(std::move(model)),
      last_good_(model_->clone()),
      backend_(make_backend ? make_backend(*model_, data_)
                            : std::make_unique<CpuTrainBackend>(*model_, *data_.images, data_.labels.get(), 0)),
      grid_(model_->config()),
      per_epoch_(data_.images->rows() / model_->config().batch),
      snapshot_every_(snapshot_every < 1 ? 1 : snapshot_every),
      step_(model_->steps_taken()) {}

std::vector<SessionStep> TrainingSession::run(int64_t steps) {
  std::vector<SessionStep> out;
  while (steps > 0) {
    const int64_t to_snapshot = snapshot_every_ - step_ % snapshot_every_;
    const int64_t count = std::min({steps, to_snapshot, backend_->steps_per_call()});
    if (!record(backend_->run(count), out)) {
      roll_back();
      break;
    }
    steps -= count;
    if (step_ % snapshot_every_ == 0) last_good_ = backend_->model().clone();
  }
  return out;
}

bool TrainingSession::record(const std::vector<StepStats>& taken, std::vector<SessionStep>& out) {
  for (const StepStats& stats : taken) {
    SessionStep s{stats, ++step_, false};
    if (s.step == inject_nan_at_) {
      s.stats.d_loss = std::numeric_limits<double>::quiet_NaN();
      inject_nan_at_ = 0;  // once: the retried step trains normally
    }
    s.diverged = !std::isfinite(s.stats.d_loss) || !std::isfinite(s.stats.g_loss);
    out.push_back(s);
    if (s.diverged) return false;
  }
  return true;
}

void TrainingSession::roll_back() {
  backend_->restore(*last_good_);
  step_ = last_good_->steps_taken();
}

Matrix TrainingSession::samples() { return model().generate(grid_.z, &grid_.labels); }

TrainProgress TrainingSession::progress() const {
  return TrainProgress{step_ / per_epoch_, step_ % per_epoch_, data_.name, data_.images->rows()};
}

std::vector<uint8_t> TrainingSession::checkpoint() { return model().checkpoint(progress()); }

std::vector<uint8_t> TrainingSession::generator(DType dtype) { return model().generator_file(data_.name, dtype); }

Gan gan_from_generator(const Mlp& generator, GanConfig config) {
  config.classes = generator.spec().classes;
  config.z_dim = generator.spec().widths.front() - config.classes;
  Gan gan(config);
  if (generator.depth() != gan.G.depth()) throw FormatError("the generator's layers do not match the seed's generator");
  for (size_t i = 0; i < gan.G.depth(); ++i) {
    const Linear& from = generator.linear(i);
    Linear& to = gan.G.linear(i);
    if (from.weight.rows() != to.weight.rows() || from.weight.cols() != to.weight.cols())
      throw FormatError("the generator's layer sizes do not match the seed's generator");
    to.weight = from.weight;
    to.bias = from.bias;
  }
  if (config.ema > 0) gan.G_ema = gan.G;
  return gan;
}

std::unique_ptr<GanModel> model_from_generator(const uint8_t* data, size_t size, GanConfig config) {
  if (!is_layer_list_file(index_safetensors(data, size)))
    return std::make_unique<MlpGanModel>(gan_from_generator(load_generator(data, size), config));
  NetworkGenerator generator = load_network_generator(data, size);
  config.z_dim = generator.arch.z_dim;
  auto model = std::make_unique<NetworkGan>(generator.arch, config);
  model->G = std::move(generator.net);
  if (config.ema > 0) model->G_ema = model->G;
  return model;
}

std::unique_ptr<GanModel> model_from_checkpoint(const uint8_t* data, size_t size, int64_t image_count) {
  TrainProgress progress;
  std::unique_ptr<GanModel> model = load_gan_checkpoint(data, size, &progress);
  if (progress.dataset_size != image_count)
    throw FormatError("this checkpoint was trained on " + std::to_string(progress.dataset_size) + " images of \"" +
                      progress.dataset + "\", but this training set has " + std::to_string(image_count) +
                      "; train on the same images to continue it, or start a new run");
  return model;
}

}  // namespace gan
