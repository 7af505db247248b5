// Counter-based random numbers (Philox4x32-10) that give the same stream on every platform, compiler and device.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "philox.h"

namespace gan {

// One Philox4x32-10 block: 128 random bits from a 128-bit counter and a 64-bit key.
std::array<uint32_t, 4> philox4x32(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key);

// A stream of random numbers. Its whole state is (seed, counter): save those two to resume exactly.
// Every draw consumes whole Philox blocks and element i of a draw depends only on (seed, counter + i / 4),
// so a GPU can produce the same numbers in parallel.
class Rng {
 public:
  explicit Rng(uint64_t seed = 0, uint64_t counter = 0) : seed_(seed), counter_(counter) {}

  uint64_t seed() const { return seed_; }
  uint64_t counter() const { return counter_; }

  // The 4 words of block `index` of this stream, without advancing it.
  std::array<uint32_t, 4> block(uint64_t index) const;

  // n values uniform in [0, 1).
  void uniform(float* out, size_t n);
  // n values uniform in [lo, hi).
  void uniform(float* out, size_t n, float lo, float hi);
  // n standard normal values (Box-Muller with the project's own deterministic log/sin/cos).
  void normal(float* out, size_t n);
  // n raw 32-bit words.
  void words(uint32_t* out, size_t n);
  // A uniform integer in [0, bound), bound > 0 (Lemire's multiply-shift; one block per call).
  uint32_t below(uint32_t bound);


 private:
  uint64_t seed_;
  uint64_t counter_;
};

// Fisher-Yates shuffle of indices 0..n-1 driven by `rng`.
void shuffle_indices(uint32_t* indices, size_t n, Rng& rng);

// A seed for an independent sub-stream ("purpose") of a user seed, so that e.g. initialisation and training
// noise never overlap.
uint64_t derive_seed(uint64_t seed, uint64_t purpose);

}  // namespace gan
