// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3") and the samplers built on it.
#include "rng.h"

#include <utility>

#include "det_math.h"
#include "parallel.h"

namespace gan {

std::array<uint32_t, 4> philox4x32(std::array<uint32_t, 4> c, std::array<uint32_t, 2> k) {
  const PhiloxBlock b = philox4x32_10(PhiloxBlock{{c[0], c[1], c[2], c[3]}}, k[0], k[1]);
  return {b.w[0], b.w[1], b.w[2], b.w[3]};
}

std::array<uint32_t, 4> Rng::block(uint64_t index) const {
  const PhiloxBlock b = philox_block(seed_, index);
  return {b.w[0], b.w[1], b.w[2], b.w[3]};
}

void Rng::words(uint32_t* out, size_t n) {
  for (size_t i = 0; i < n; i += 4) {
    const auto b = block(counter_ + i / 4);
    for (size_t j = 0; j < 4 && i + j < n; ++j) out[i + j] = b[j];
  }
  counter_ += blocks_for_values(n);
}

namespace {

// Philox4x32-10 on kLanes consecutive counters at once (the stream's blocks first_index, first_index + 1, ...):
// philox_round lane by lane, which the compiler turns into vector instructions on each word of all the counters.
// The same bits as one block at a time; with AVX-512, a third of the time.
constexpr size_t kLanes = 16;
struct PhiloxLanes {
  uint32_t w[4][kLanes];
};

PhiloxLanes philox_lanes(uint64_t seed, uint64_t first_index) {
  PhiloxLanes c{};
  for (size_t l = 0; l < kLanes; ++l) {
    c.w[0][l] = static_cast<uint32_t>(first_index + l);
    c.w[1][l] = static_cast<uint32_t>((first_index + l) >> 32);
  }
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    for (size_t l = 0; l < kLanes; ++l) philox_round(c.w[0][l], c.w[1][l], c.w[2][l], c.w[3][l], k0, k1);
    k0 += kPhiloxWeyl0;
    k1 += kPhiloxWeyl1;
  }
  return c;
}

}  // namespace

void Rng::uniform(float* out, size_t n) {
  // Blocks are independent (counter-based), so the threads' chunks give exactly the serial stream.
  parallel_chunks(n, [&](size_t begin, size_t end) {
    size_t i = begin;
    for (; i + 4 * kLanes <= end; i += 4 * kLanes) {
      const PhiloxLanes b = philox_lanes(seed_, counter_ + i / 4);
      for (size_t l = 0; l < kLanes; ++l)
        for (size_t j = 0; j < 4; ++j) out[i + 4 * l + j] = u32_to_unit_float(b.w[j][l]);
    }
    for (; i < end; i += 4) {
      const auto b = block(counter_ + i / 4);
      for (size_t j = 0; j < 4 && i + j < end; ++j) out[i + j] = u32_to_unit_float(b[j]);
    }
  }, 4);
  counter_ += blocks_for_values(n);
}

void Rng::uniform(float* out, size_t n, float lo, float hi) {
  uniform(out, n);
  for (size_t i = 0; i < n; ++i) out[i] = lo + (hi - lo) * out[i];
}

void Rng::normal(float* out, size_t n) {
  parallel_chunks(n, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; i += 4) {
      float z[4];
      det::normals_from_block(philox_block(seed_, counter_ + i / 4), z);
      for (size_t j = 0; j < 4 && i + j < end; ++j) out[i + j] = z[j];
    }
  }, 4, 1 << 13);
  counter_ += blocks_for_values(n);
}

uint32_t Rng::below(uint32_t bound) {
  const uint32_t x = philox_block(seed_, counter_).w[0];
  counter_ += 1;
  return u32_below(x, bound);
}

void shuffle_indices(uint32_t* indices, size_t n, Rng& rng) {
  for (size_t i = 0; i < n; ++i) indices[i] = static_cast<uint32_t>(i);
  for (size_t i = n; i > 1; --i) {
    const uint32_t j = rng.below(static_cast<uint32_t>(i));
    std::swap(indices[i - 1], indices[j]);
  }
}

uint64_t derive_seed(uint64_t seed, uint64_t purpose) { return derive_seed_bits(seed, purpose); }

}  // namespace gan
