// Shuffled mini-batches over a data set: epoch e's order is a pure function of (seed, e), so resuming is exact.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor.h"

namespace gan {

// The order in which epoch `epoch` visits `count` images: a shuffle of 0..count-1 drawn from the training seed.
void epoch_order(uint64_t seed, int64_t epoch, uint32_t* order, size_t count);

class BatchSampler {
 public:
  // The last incomplete batch of an epoch is dropped, so every step sees exactly `batch` images.
  // `labels` (one per image, optional) are batched along with the images, for the conditional GAN.
  BatchSampler(const Matrix& images, int batch, uint64_t seed, const std::vector<uint8_t>* labels = nullptr);

  int64_t batches_per_epoch() const { return batches_per_epoch_; }
  // Copies batch b of epoch e into `out` ([batch, 784]), and its labels into `labels` when given.
  void fill(int64_t epoch, int64_t b, Matrix& out, std::vector<int>* labels = nullptr);
  // The batch that training step `step` (counted from 0) trains on.
  void fill_for_step(int64_t step, Matrix& out, std::vector<int>* labels = nullptr) {
    fill(step / batches_per_epoch_, step % batches_per_epoch_, out, labels);
  }

 private:
  const Matrix& images_;
  const std::vector<uint8_t>* labels_;
  int batch_;
  uint64_t seed_;
  int64_t batches_per_epoch_;
  int64_t order_epoch_ = -1;
  std::vector<uint32_t> order_;
};

}  // namespace gan
