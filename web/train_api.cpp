// The training worker's whole interface to the core: a TrainingSession (any architecture) on the digits and labels
// the page serves, its steps, its sample grid (drawn by the shared SDL2 renderer into memory) and its files.
// Functions return 0 on success or 1 with train_text() saying why; strings and buffers returned stay valid until the
// next call that returns one.
#include <emscripten.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "format_error.h"
#include "gan_models.h"
#include "grid_image.h"
#include "guarded_call.h"
#include "idx.h"
#include "training_session.h"

namespace {

gan::TrainingData digits;
std::unique_ptr<gan::TrainingSession> session;
std::string text;                 // the last error or info string
std::vector<uint8_t> file_bytes;  // the last exported file
gan::RgbaImage samples;

// Runs fn, turning any exception into `text` and a return value of 1.
template <class Fn>
int guarded(Fn&& fn) {
  return gan_web::guarded_call(text, "out of memory in the training worker", std::forward<Fn>(fn));
}

gan::GanConfig config_from(double seed, int batch, double lr) {
  if (!(seed >= 0 && seed <= 9007199254740991.0 && seed == std::floor(seed)))
    throw std::invalid_argument("the seed must be a whole number from 0 to 2^53 - 1");
  if (batch < 1 || batch > 1024) throw std::invalid_argument("the batch size must be from 1 to 1024");
  if (!(lr > 0 && lr <= 1)) throw std::invalid_argument("the learning rate must be above 0 and at most 1");
  gan::GanConfig c;
  c.seed = static_cast<uint64_t>(seed);
  c.batch = batch;
  c.adam.lr = lr;
  return c;
}

void need_data() {
  if (!digits.images) throw std::logic_error("the training digits are not loaded yet");
}

void start(std::unique_ptr<gan::GanModel> model) {
  need_data();
  if (model->config().classes > 10)
    throw gan::FormatError("this model has " + std::to_string(model->config().classes) +
                           " classes, and the page's digits have 10 labels");
  session = std::make_unique<gan::TrainingSession>(digits, std::move(model));
}

}  // namespace

extern "C" {

// The training digits: an IDX image file (already decompressed), 28x28.
EMSCRIPTEN_KEEPALIVE int train_set_data(const uint8_t* data, size_t size) {
  return guarded([&] {
    const gan::IdxImages idx = gan::parse_idx_images(data, size, "training digits");
    if (idx.rows != 28 || idx.cols != 28) throw std::invalid_argument("the training digits must be 28x28 pixels");
    digits.images = std::make_shared<const gan::Matrix>(gan::images_to_matrix(idx));
    digits.labels.reset();
    session.reset();
  });
}

// The training digits' labels (an IDX label file, already decompressed): one per image, for conditional models.
EMSCRIPTEN_KEEPALIVE int train_set_labels(const uint8_t* data, size_t size) {
  return guarded([&] {
    need_data();
    auto labels = std::make_shared<std::vector<uint8_t>>(gan::parse_idx_labels(data, size, "training labels"));
    if (static_cast<Eigen::Index>(labels->size()) != digits.images->rows())
      throw std::invalid_argument("the training labels are " + std::to_string(labels->size()) + ", for " +
                                  std::to_string(digits.images->rows()) + " digits");
    for (uint8_t label : *labels)
      if (label > 9) throw std::invalid_argument("a training label is " + std::to_string(label) + ", not a digit 0-9");
    digits.labels = std::move(labels);
    session.reset();
  });
}

EMSCRIPTEN_KEEPALIVE int train_image_count() { return digits.images ? static_cast<int>(digits.images->rows()) : 0; }

// A new run from scratch of the architecture named by the UTF-8 bytes `arch` (see gan::architecture_names()).
EMSCRIPTEN_KEEPALIVE int train_new(const char* arch, size_t arch_size, double seed, int batch, double lr) {
  return guarded([&] { start(gan::make_gan_model(std::string(arch, arch_size), config_from(seed, batch, lr))); });
}

// A new run whose generator starts from a generator file; D and both optimizers start fresh.
EMSCRIPTEN_KEEPALIVE int train_from_generator(const uint8_t* data, size_t size, double seed, int batch, double lr) {
  return guarded([&] { start(gan::model_from_generator(data, size, config_from(seed, batch, lr))); });
}

// Continues a checkpoint (written here or by `gan train`) with its own seed, batch size and learning rate.
EMSCRIPTEN_KEEPALIVE int train_from_checkpoint(const uint8_t* data, size_t size) {
  return guarded([&] {
    need_data();
    start(gan::model_from_checkpoint(data, size, digits.images->rows()));
  });
}

// Takes up to `steps` steps and writes 6 doubles per step taken: step, D loss, G loss, mean D(x), mean D(G(z)),
// diverged (1 or 0). Stops after a diverged step (the session is then back at its last good state). Returns the
// number of steps taken, or -1 with train_text() saying why.
EMSCRIPTEN_KEEPALIVE int train_run(int steps, double* out) {
  int done = 0;
  const int rc = guarded([&] {
    if (!session) throw std::logic_error("no training run: start one first");
    for (const gan::SessionStep& s : session->run(steps)) {
      double* row = out + 6 * done++;
      row[0] = static_cast<double>(s.step), row[1] = s.stats.d_loss, row[2] = s.stats.g_loss;
      row[3] = s.stats.d_real, row[4] = s.stats.d_fake, row[5] = s.diverged ? 1 : 0;
    }
  });
  return rc == 0 ? done : -1;
}

// The run's settings and position as JSON.
EMSCRIPTEN_KEEPALIVE const char* train_info() {
  if (!session) return "{}";
  const gan::GanModel& m = session->model();
  const gan::TrainProgress p = session->progress();
  nlohmann::json j = {{"arch", m.architecture()}, {"seed", m.config().seed}, {"batch", m.config().batch},
                      {"lr", m.config().adam.lr}, {"step", m.steps_taken()}, {"epoch", p.epoch},
                      {"batches_per_epoch", session->batches_per_epoch()},
                      {"last_good_step", session->last_good_step()}, {"images", p.dataset_size}};
  text = j.dump();
  return text.c_str();
}

// The grid of the fixed latent vectors (samples.png of `gan train`: 5x5, or a column per class; from the same
// generator, the moving average when the run keeps one), RGBA at digit resolution.
EMSCRIPTEN_KEEPALIVE const uint8_t* train_samples() {
  const int rc = guarded([&] {
    if (!session) throw std::logic_error("no training run");
    gan::GridLayout layout;
    layout.cols = session->sample_grid().columns, layout.rows = session->sample_grid().rows(), layout.scale = 1;
    samples = gan::render_grid_image(session->samples(), layout);
  });
  return rc == 0 ? samples.pixels.data() : nullptr;
}
EMSCRIPTEN_KEEPALIVE int train_samples_width() { return samples.width; }
EMSCRIPTEN_KEEPALIVE int train_samples_height() { return samples.height; }

// kind 0: the generator (F32 safetensors, what `gan generate` loads); 1: a full checkpoint. Size: train_file_size().
EMSCRIPTEN_KEEPALIVE const uint8_t* train_file(int kind) {
  const int rc = guarded([&] {
    if (!session) throw std::logic_error("no training run");
    file_bytes = kind == 1 ? session->checkpoint() : session->generator();
  });
  return rc == 0 ? file_bytes.data() : nullptr;
}
EMSCRIPTEN_KEEPALIVE size_t train_file_size() { return file_bytes.size(); }

// Tests only: the next time this step is reached its D loss is reported as NaN.
EMSCRIPTEN_KEEPALIVE void train_inject_nan_at(double step) {
  if (session) session->inject_nan_at(static_cast<int64_t>(step));
}

EMSCRIPTEN_KEEPALIVE const char* train_text() { return text.c_str(); }

}  // extern "C"
