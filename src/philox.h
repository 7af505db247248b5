// Philox4x32-10 and the bit tricks built on it, written once for the CPU core and the CUDA backend (plain integer
// arithmetic: every device computes the same bits).
#pragma once
#include <cstdint>

#if defined(__CUDACC__)
#define GAN_HOST_DEVICE __host__ __device__
#else
#define GAN_HOST_DEVICE
#endif

namespace gan {

// 128 random bits.
struct PhiloxBlock {
  uint32_t w[4];
};

// Philox4x32's round multipliers and key increments (the Weyl sequence).
constexpr uint32_t kPhiloxMul0 = 0xD2511F53u, kPhiloxMul1 = 0xCD9E8D57u;
constexpr uint32_t kPhiloxWeyl0 = 0x9E3779B9u, kPhiloxWeyl1 = 0xBB67AE85u;

// One round of Philox4x32 on the counter words c0..c3 with round key (k0, k1).
GAN_HOST_DEVICE inline void philox_round(uint32_t& c0, uint32_t& c1, uint32_t& c2, uint32_t& c3, uint32_t k0,
                                         uint32_t k1) {
  const uint64_t p0 = static_cast<uint64_t>(kPhiloxMul0) * c0;
  const uint64_t p1 = static_cast<uint64_t>(kPhiloxMul1) * c2;
  c0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k0;
  c1 = static_cast<uint32_t>(p1);
  c2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k1;
  c3 = static_cast<uint32_t>(p0);
}

// One Philox4x32-10 block (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3") of counter c and key k.
GAN_HOST_DEVICE inline PhiloxBlock philox4x32_10(PhiloxBlock c, uint32_t k0, uint32_t k1) {
  for (int round = 0; round < 10; ++round) {
    philox_round(c.w[0], c.w[1], c.w[2], c.w[3], k0, k1);
    k0 += kPhiloxWeyl0;
    k1 += kPhiloxWeyl1;
  }
  return c;
}

// Block `index` of the stream `seed`: what Rng(seed).block(index) returns.
GAN_HOST_DEVICE inline PhiloxBlock philox_block(uint64_t seed, uint64_t index) {
  return philox4x32_10(PhiloxBlock{{static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32), 0u, 0u}},
                       static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
}

// The seed of sub-stream `purpose` of `seed` (see derive_seed in rng.h).
GAN_HOST_DEVICE inline uint64_t derive_seed_bits(uint64_t seed, uint64_t purpose) {
  const PhiloxBlock b = philox4x32_10(
      PhiloxBlock{{static_cast<uint32_t>(purpose), static_cast<uint32_t>(purpose >> 32), 0x5EEDu, 0u}},
      static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
  return (static_cast<uint64_t>(b.w[1]) << 32) | b.w[0];
}

// The Philox blocks a draw of n values takes: four words a block, and a block once started is used up.
GAN_HOST_DEVICE constexpr uint64_t blocks_for_values(uint64_t n) { return (n + 3) / 4; }

// 32 random bits as a float in [0, 1) with 24 bits of precision (exact everywhere).
GAN_HOST_DEVICE inline float u32_to_unit_float(uint32_t x) { return static_cast<float>(x >> 8) * (1.0f / 16777216.0f); }

// 32 random bits as an integer in [0, bound) (Lemire's multiply-shift).
GAN_HOST_DEVICE inline uint32_t u32_below(uint32_t x, uint32_t bound) {
  return static_cast<uint32_t>((static_cast<uint64_t>(x) * bound) >> 32);
}

}  // namespace gan
