// The parts every checkpoint has, whatever its networks: training settings and position, and Adam's moments.
#pragma once
#include <string>

#include "adam.h"
#include "file_checks.h"
#include "gan_model.h"

namespace gan {

// Metadata of a training run: seed, batch, z size, Adam settings and steps, the position in the data set, and the
// options beyond the seed when they are set (ema, real_label, d_label_scale).
void add_training_metadata(Metadata& meta, const GanConfig& config, const TrainProgress& progress, const Adam& opt_g,
                           const Adam& opt_d);
// The GanConfig such metadata records (classes are the architecture's business: left 0).
GanConfig read_training_config(const Metadata& meta, const std::string& what);
// The position (epoch, batch in epoch, data set) recorded with `step`, checked to fit it and the batch size.
TrainProgress read_train_progress(const Metadata& meta, int64_t step, int batch, const std::string& what);

// A checkpoint's step (into `step`), its position in the data set, and both optimizers' state, each checked
// against the others: what every checkpoint reader does after reading its networks.
TrainProgress read_training_state(const SafeTensorsView& file, int batch, int64_t& step, Adam& opt_g, Adam& opt_d,
                                  const std::string& what);

// Adam's moments as tensors "<prefix><i>.exp_avg" and "<prefix><i>.exp_avg_sq", and back (finite, non-negative
// second moments, steps from metadata `steps_key`, at most `max_steps`).
void add_adam_state(SafeTensors& file, const std::string& prefix, const Adam& opt);
void read_adam_state(const SafeTensorsView& file, const std::string& prefix, Adam& opt, const std::string& steps_key,
                     int64_t max_steps, const std::string& what);

}  // namespace gan
