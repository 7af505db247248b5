// What a training loop needs of a GAN, whatever its architecture: a step, samples, and its files.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gan.h"
#include "safetensors.h"

namespace gan {

// Training position saved with a checkpoint besides the networks and optimizers.
struct TrainProgress {
  int64_t epoch = 0;            // epochs completed
  int64_t batch_in_epoch = 0;   // batches done in the current epoch
  std::string dataset = "mnist";
  int64_t dataset_size = 0;
};

class GanModel {
 public:
  virtual ~GanModel() = default;

  // An independent copy of the whole training state (weights, optimiser moments, moving average, step count).
  virtual std::unique_ptr<GanModel> clone() const = 0;
  // Replaces this model's whole training state by `other`'s, in place (a clone of this model taken earlier: the
  // same architecture and settings; std::invalid_argument otherwise). How a training loop goes back to a good state.
  virtual void assign(const GanModel& other) = 0;

  virtual const GanConfig& config() const = 0;
  // The --arch name: "seed", "conditional", "dcgan", "conditional-dcgan".
  virtual std::string architecture() const = 0;
  virtual int64_t steps_taken() const = 0;

  // One step on a batch of real images ([batch, 784] in [-1, 1]) and, for a conditional model, their labels.
  virtual StepStats train_step(const Matrix& real, const std::vector<int>* labels) = 0;
  // Digits of the generator that samples and exports use (the moving average when there is one), in evaluation
  // mode; a conditional model needs one label per row of z.
  virtual Matrix generate(const Matrix& z, const std::vector<int>* labels) = 0;

  // The model's files: its whole training state, its sampling generator (F32 or F16), its discriminator.
  virtual std::vector<uint8_t> checkpoint(const TrainProgress& progress) const = 0;
  virtual std::vector<uint8_t> generator_file(const std::string& dataset, DType dtype) const = 0;
  virtual std::vector<uint8_t> discriminator_file(const std::string& dataset) const = 0;

  // The seed MLP's Gan behind this model, for the backends that run only it (CUDA); null for other architectures.
  virtual Gan* mlp_gan() { return nullptr; }
};

}  // namespace gan
