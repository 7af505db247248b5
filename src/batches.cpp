// Epoch permutations drawn from the project's RNG.
#include "batches.h"

#include <stdexcept>

#include "gan.h"
#include "rng.h"

namespace gan {

BatchSampler::BatchSampler(const Matrix& images, int batch, uint64_t seed)
    : images_(images),
      batch_(batch),
      shuffle_seed_(derive_seed(seed, static_cast<uint64_t>(Stream::Shuffle))),
      batches_per_epoch_(batch > 0 ? images.rows() / batch : 0) {
  if (batches_per_epoch_ == 0)
    throw std::invalid_argument("the data set has " + std::to_string(images.rows()) +
                                " images, fewer than one batch of " + std::to_string(batch));
}

void BatchSampler::fill(int64_t epoch, int64_t b, Matrix& out) {
  if (epoch != order_epoch_) {
    order_.resize(static_cast<size_t>(images_.rows()));
    Rng rng(derive_seed(shuffle_seed_, static_cast<uint64_t>(epoch)));
    shuffle_indices(order_.data(), order_.size(), rng);
    order_epoch_ = epoch;
  }
  out.resize(batch_, images_.cols());
  for (int i = 0; i < batch_; ++i) out.row(i) = images_.row(order_[static_cast<size_t>(b * batch_ + i)]);
}

}  // namespace gan
