// `--device cpu|cuda`: the backend that trains (TrainBackend) and generates, and a clear error when this build or
// this machine has no such device.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mlp.h"
#include "train_backend.h"

namespace gan {

// The values --device accepts in this build.
const std::vector<std::string>& device_choices();

// Refuses (UserError) a --device this build or `model`'s architecture cannot train on, and --tf32 off the GPU;
// make_train_backend checks the same, and a command calls this first to refuse before it loads any data.
void check_train_device(const std::string& device, GanModel& model, bool tf32);

// `images` (and `labels`) must outlive the backend, and so must `model`; CUDA trains only the MLPs (a UserError for
// another architecture); `threads` is what set_threads chose (CPU only); `tf32` (--tf32,
// CUDA only) lets the GPU's matrix products run on TF32 tensor cores.
std::unique_ptr<TrainBackend> make_train_backend(const std::string& device, GanModel& model, const Matrix& images,
                                                 const std::vector<uint8_t>* labels, int threads, bool tf32);

// generator(input) in evaluation mode on `device`.
Matrix generate_on(const std::string& device, Mlp& generator, const Matrix& input);

}  // namespace gan
