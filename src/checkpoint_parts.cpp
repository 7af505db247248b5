// Checkpoint metadata and optimizer state, shared by the MLP's and the layer-list GANs' checkpoints.
#include "checkpoint_parts.h"

#include <algorithm>
#include <cstdio>

#include "format_error.h"

namespace gan {

namespace {

std::string number(double v, const char* format = "%.17g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

void add_training_metadata(Metadata& meta, const GanConfig& c, const TrainProgress& progress, const Adam& opt_g,
                           const Adam& opt_d) {
  meta["seed"] = std::to_string(c.seed);
  meta["batch"] = std::to_string(c.batch);
  meta["epoch"] = std::to_string(progress.epoch);
  meta["batch_in_epoch"] = std::to_string(progress.batch_in_epoch);
  meta["dataset_size"] = std::to_string(progress.dataset_size);
  meta["rng"] = "philox4x32-10; step noise = derive(derive(seed, 3), step), shuffle = derive(derive(seed, 4), epoch)";
  meta["adam"] = number(c.adam.lr) + "," + number(c.adam.beta1) + "," + number(c.adam.beta2) + "," + number(c.adam.eps);
  meta["adam_steps_g"] = std::to_string(opt_g.steps());
  meta["adam_steps_d"] = std::to_string(opt_d.steps());
  if (c.ema > 0) meta["ema"] = number(c.ema);
  if (c.classes > 0) meta["d_label_scale"] = number(c.d_label_scale, "%.9g");
  if (c.real_label != 1.0f) meta["real_label"] = number(c.real_label, "%.9g");
}

GanConfig read_training_config(const Metadata& meta, const std::string& what) {
  GanConfig c;
  c.seed = static_cast<uint64_t>(parse_int(meta, "seed", what));
  c.batch = static_cast<int>(parse_count(meta, "batch", 65536, what));
  c.z_dim = static_cast<int>(parse_count(meta, "z_dim", 4096, what));
  if (c.batch < 1 || c.z_dim < 1) throw FormatError(what + ": batch or z size out of range; " + damaged_advice(what));
  c.adam = parse_adam(meta, what);
  c.ema = parse_real(meta, "ema", 0.0, [](double v) { return v >= 0 && v < 1; }, what);
  c.real_label = static_cast<float>(parse_real(meta, "real_label", 1.0, [](double v) { return v > 0 && v <= 1; }, what));
  c.d_label_scale =
      static_cast<float>(parse_real(meta, "d_label_scale", 1.0, [](double v) { return v > 0 && v <= 1000; }, what));
  return c;
}

TrainProgress read_train_progress(const Metadata& meta, int64_t step, int batch, const std::string& what) {
  // Counts that must fit each other: the step, and the place in the epoch, whose length the data set's size and
  // the batch give.
  constexpr int64_t kMaxImages = int64_t{1} << 34;
  TrainProgress at;
  at.epoch = parse_count(meta, "epoch", step, what);
  at.batch_in_epoch = parse_count(meta, "batch_in_epoch", step, what);
  at.dataset_size = parse_count(meta, "dataset_size", kMaxImages, what);
  at.dataset = meta.count("dataset") ? printable(meta.at("dataset"), 200) : "";
  if (at.dataset_size > 0) {  // 0: not recorded
    const int64_t per_epoch = at.dataset_size / batch;
    if (per_epoch < 1)
      throw FormatError(what + ": metadata \"dataset_size\" " + std::to_string(at.dataset_size) +
                        " is less than one batch of " + std::to_string(batch) + "; " + damaged_advice(what));
    // `gan train` and the page record the position that the step reaches (step / per_epoch, step % per_epoch).
    if (at.epoch != step / per_epoch || at.batch_in_epoch != step % per_epoch)
      throw FormatError(what + ": its position (epoch " + std::to_string(at.epoch) + ", batch " +
                        std::to_string(at.batch_in_epoch) + ") does not fit step " + std::to_string(step) + " with " +
                        std::to_string(per_epoch) + " batches per epoch (that is epoch " +
                        std::to_string(step / per_epoch) + ", batch " + std::to_string(step % per_epoch) + "); " +
                        damaged_advice(what));
  }
  return at;
}

TrainProgress read_training_state(const SafeTensorsView& file, int batch, int64_t& step, Adam& opt_g, Adam& opt_d,
                                  const std::string& what) {
  constexpr int64_t kMaxStep = int64_t{1} << 48;
  step = parse_count(file.metadata, "step", kMaxStep, what);
  TrainProgress at = read_train_progress(file.metadata, step, batch, what);
  read_adam_state(file, "opt_G.", opt_g, "adam_steps_g", step, what);
  read_adam_state(file, "opt_D.", opt_d, "adam_steps_d", step, what);
  return at;
}

void add_adam_state(SafeTensors& file, const std::string& prefix, const Adam& opt) {
  for (size_t i = 0; i < opt.num_params(); ++i) {
    file.add(prefix + std::to_string(i) + ".exp_avg", {opt.exp_avg(i).size()}, opt.exp_avg(i).data());
    file.add(prefix + std::to_string(i) + ".exp_avg_sq", {opt.exp_avg_sq(i).size()}, opt.exp_avg_sq(i).data());
  }
}

void read_adam_state(const SafeTensorsView& file, const std::string& prefix, Adam& opt, const std::string& steps_key,
                     int64_t max_steps, const std::string& what) {
  for (size_t i = 0; i < opt.num_params(); ++i) {
    const int64_t n = opt.exp_avg(i).size();
    const std::string m = prefix + std::to_string(i) + ".exp_avg", v = m + "_sq";
    read_finite(require(file, m, {n}, what), 0, size_t(n), opt.exp_avg(i).data(), m, what);
    read_finite(require(file, v, {n}, what), 0, size_t(n), opt.exp_avg_sq(i).data(), v, what);
    const float* sq = opt.exp_avg_sq(i).data();
    if (std::any_of(sq, sq + n, [](float x) { return x < 0; }))  // a mean of squares: negative ones make NaN steps
      throw FormatError(what + ": tensor \"" + v + "\" holds negative values; " + damaged_advice(what));
  }
  opt.set_steps(parse_count(file.metadata, steps_key, max_steps, what));
}

}  // namespace gan
