// The viewer's model: a grid of latent vectors, the digits they make, and edits that regenerate only what changed.
// Digits come from a DigitGenerator (the MLP packed for SIMD, which agrees with Mlp::forward to about 1e-6, or a
// layer list such as the DCGAN).
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "digit_generator.h"
#include "tensor.h"

namespace gan {

class LatentGrid {
 public:
  // `count` digits whose latent vectors come from `seed` exactly as `gan generate --seed` draws them (for a
  // class-conditional generator: rows of every class, one latent vector per row). An Mlp is packed on the way in.
  LatentGrid(DigitGenerator generator, int count, uint64_t seed);

  int count() const { return static_cast<int>(z_.rows()); }
  int z_dim() const { return static_cast<int>(z_.cols()); }
  uint64_t seed() const { return seed_; }
  // Classes of a conditional generator (0: unconditional), and the class each digit is drawn as.
  int classes() const { return classes_; }
  int label(int i) const { return labels_[static_cast<size_t>(check(i))]; }
  void set_label(int i, int label);

  const float* latent(int i) const { return z_.row(check(i)).data(); }
  // 784 pixels in [-1, 1], row by row.
  const float* digit(int i) const { return images_.row(check(i)).data(); }
  const Matrix& digits() const { return images_; }
  const Matrix& latents() const { return z_; }

  // All latent vectors from a new seed; every digit is regenerated in one batch.
  void reseed(uint64_t seed);
  // The latent vector (and, for a conditional generator, the class) that the grid's seed gives digit i.
  std::vector<float> seed_latent(int i, int* label = nullptr) const;
  // Digit i goes back to the latent vector (and class) that the grid's seed gave it, leaving the others as they are.
  void reset(int i);
  // Digit i gets the first latent vector that `seed` draws.
  void randomize(int i, uint64_t seed);
  void set_value(int i, int dim, float value);
  void set_latent(int i, const float* z);
  // Swaps in another generator. Latent vectors are kept when its z size matches, else redrawn from the seed.
  void set_generator(DigitGenerator generator);
  // Hands the generator on (to a grid of another shape) without a copy; the grid must not be used after.
  DigitGenerator take_generator() && { return std::move(fast_); }

  // Digits of latent vectors outside the grid (a strip along a direction, an animation's frames): one row of 784
  // pixels per row of z, each drawn as class `label` by a conditional generator (ignored by an unconditional one).
  Matrix draw(const Matrix& z, int label);

  // Indices of the digits regenerated since the last call, in increasing order; clears the list.
  std::vector<int> take_changed();

 private:
  int check(int i) const;
  void regenerate(int i);
  void regenerate_all();

  // Digit i's generator input: its latent vector, then its one-hot class for a conditional generator.
  const float* input(int i);

  DigitGenerator fast_;
  uint64_t seed_;
  int classes_ = 0;
  std::vector<int> labels_;
  Matrix z_, images_, inputs_;
  std::vector<bool> changed_;
};

// Spherical interpolation from a to b (t in [0, 1]): the path keeps a norm like that of N(0, I) samples, where the
// generator was trained, instead of cutting through the low-norm middle as a straight line does.
std::vector<float> slerp(const float* a, const float* b, int n, float t);

}  // namespace gan
