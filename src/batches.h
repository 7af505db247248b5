// Shuffled mini-batches over a data set: epoch e's order is a pure function of (seed, e), so resuming is exact.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor.h"

namespace gan {

class BatchSampler {
 public:
  // The last incomplete batch of an epoch is dropped, so every step sees exactly `batch` images.
  BatchSampler(const Matrix& images, int batch, uint64_t seed);

  int64_t batches_per_epoch() const { return batches_per_epoch_; }
  // Copies batch b of epoch e into `out` ([batch, 784]).
  void fill(int64_t epoch, int64_t b, Matrix& out);
  // The batch that training step `step` (counted from 0) trains on.
  void fill_for_step(int64_t step, Matrix& out) { fill(step / batches_per_epoch_, step % batches_per_epoch_, out); }

 private:
  const Matrix& images_;
  int batch_;
  uint64_t shuffle_seed_;
  int64_t batches_per_epoch_;
  int64_t order_epoch_ = -1;
  std::vector<uint32_t> order_;
};

}  // namespace gan
