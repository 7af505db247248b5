// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3") and the samplers built on it.
#include "rng.h"

#include <cmath>
#include <utility>

#include "det_math.h"
#include "parallel.h"

namespace gan {

std::array<uint32_t, 4> philox4x32(std::array<uint32_t, 4> c, std::array<uint32_t, 2> k) {
  constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = static_cast<uint64_t>(kMul0) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(kMul1) * c[2];
    c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
    k[0] += kWeyl0;
    k[1] += kWeyl1;
  }
  return c;
}

std::array<uint32_t, 4> Rng::block(uint64_t index) const {
  return philox4x32({static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32), 0u, 0u},
                    {static_cast<uint32_t>(seed_), static_cast<uint32_t>(seed_ >> 32)});
}

void Rng::words(uint32_t* out, size_t n) {
  for (size_t i = 0; i < n; i += 4) {
    const auto b = block(counter_ + i / 4);
    for (size_t j = 0; j < 4 && i + j < n; ++j) out[i + j] = b[j];
  }
  counter_ += (n + 3) / 4;
}

void Rng::uniform(float* out, size_t n) {
  // Blocks are independent (counter-based), so the threads' chunks give exactly the serial stream.
  parallel_chunks(n, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; i += 4) {
      const auto b = block(counter_ + i / 4);
      for (size_t j = 0; j < 4 && i + j < end; ++j) out[i + j] = u32_to_unit_float(b[j]);
    }
  }, 4);
  counter_ += (n + 3) / 4;
}

void Rng::uniform(float* out, size_t n, float lo, float hi) {
  uniform(out, n);
  for (size_t i = 0; i < n; ++i) out[i] = lo + (hi - lo) * out[i];
}

void Rng::normal(float* out, size_t n) {
  constexpr double kTwoPi = 6.28318530717958647692;
  parallel_chunks(n, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; i += 4) {
      const auto b = block(counter_ + i / 4);
      float z[4];
      for (int pair = 0; pair < 2; ++pair) {
        // u1 in (0, 1] so the log is finite; u2 in [0, 1).
        const double u1 = (static_cast<double>(b[2 * pair] >> 8) + 1.0) * (1.0 / 16777216.0);
        const double u2 = static_cast<double>(b[2 * pair + 1] >> 8) * (1.0 / 16777216.0);
        const double r = std::sqrt(-2.0 * det::log(u1));
        double s = 0, c = 0;
        det::sincos(kTwoPi * u2, &s, &c);
        z[2 * pair] = static_cast<float>(r * c);
        z[2 * pair + 1] = static_cast<float>(r * s);
      }
      for (size_t j = 0; j < 4 && i + j < end; ++j) out[i + j] = z[j];
    }
  }, 4, 1 << 13);
  counter_ += (n + 3) / 4;
}

uint32_t Rng::below(uint32_t bound) {
  const uint32_t x = block(counter_)[0];
  counter_ += 1;
  return static_cast<uint32_t>((static_cast<uint64_t>(x) * bound) >> 32);
}

void shuffle_indices(uint32_t* indices, size_t n, Rng& rng) {
  for (size_t i = 0; i < n; ++i) indices[i] = static_cast<uint32_t>(i);
  for (size_t i = n; i > 1; --i) {
    const uint32_t j = rng.below(static_cast<uint32_t>(i));
    std::swap(indices[i - 1], indices[j]);
  }
}

uint64_t derive_seed(uint64_t seed, uint64_t purpose) {
  const auto b = philox4x32({static_cast<uint32_t>(purpose), static_cast<uint32_t>(purpose >> 32), 0x5EEDu, 0u},
                            {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
  return (static_cast<uint64_t>(b[1]) << 32) | b[0];
}

}  // namespace gan
