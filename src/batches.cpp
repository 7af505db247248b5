// Epoch permutations drawn from the project's RNG.
#include "batches.h"

#include <stdexcept>

#include "gan.h"
#include "rng.h"

namespace gan {

void epoch_order(uint64_t seed, int64_t epoch, uint32_t* order, size_t count) {
  Rng rng(derive_seed(derive_seed(seed, static_cast<uint64_t>(Stream::Shuffle)), static_cast<uint64_t>(epoch)));
  shuffle_indices(order, count, rng);
}

BatchSampler::BatchSampler(const Matrix& images, int batch, uint64_t seed, const std::vector<uint8_t>* labels)
    : images_(images),
      labels_(labels),
      batch_(batch),
      seed_(seed),
      batches_per_epoch_(batch > 0 ? images.rows() / batch : 0) {
  if (batches_per_epoch_ == 0)
    throw std::invalid_argument("the data set has " + std::to_string(images.rows()) +
                                " images, fewer than one batch of " + std::to_string(batch));
  if (labels && static_cast<Eigen::Index>(labels->size()) != images.rows())
    throw std::invalid_argument("BatchSampler: " + std::to_string(labels->size()) + " labels for " +
                                std::to_string(images.rows()) + " images");
}

void BatchSampler::fill(int64_t epoch, int64_t b, Matrix& out, std::vector<int>* labels) {
  if (epoch != order_epoch_) {
    order_.resize(static_cast<size_t>(images_.rows()));
    epoch_order(seed_, epoch, order_.data(), order_.size());
    order_epoch_ = epoch;
  }
  out.resize(batch_, images_.cols());
  for (int i = 0; i < batch_; ++i) out.row(i) = images_.row(order_[static_cast<size_t>(b * batch_ + i)]);
  if (labels) {
    if (!labels_) throw std::logic_error("BatchSampler: labels asked of a sampler made without them");
    labels->resize(static_cast<size_t>(batch_));
    for (int i = 0; i < batch_; ++i) (*labels)[static_cast<size_t>(i)] = (*labels_)[order_[static_cast<size_t>(b * batch_ + i)]];
  }
}

}  // namespace gan
