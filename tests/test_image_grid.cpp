// The grey level of a generated pixel (image_grid.h), which every PNG grid, GIF frame and drawn digit uses.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>

#include "image_grid.h"

using namespace gan;

namespace {

// The definition to_gray() must keep: lround of (v + 1) * 127.5, clamped, NaN black.
uint8_t reference_gray(float v) {
  if (!(v > -1.0f)) return 0;
  if (v >= 1.0f) return 255;
  return static_cast<uint8_t>(std::lround((v + 1.0f) * 127.5f));
}

float from_bits(uint32_t u) {
  float v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

}  // namespace

TEST_CASE("to_gray rounds half away from zero as lround does, at every grey level's edges", "[grid]") {
  // Each boundary between two grey levels is where (v + 1) * 127.5 crosses k + 0.5; the floats within 4,096 steps
  // of each boundary are where a rounding shortcut goes wrong (in float, 0.49999997 + 0.5 rounds up to 1).
  for (int k = 0; k < 255; ++k) {
    const float edge = (static_cast<float>(k) + 0.5f) / 127.5f - 1.0f;
    INFO("the edge below grey " << k + 1);
    REQUIRE(to_gray(edge) == reference_gray(edge));
    float below = edge, above = edge;
    for (int step = 0; step < 4096; ++step) {
      below = std::nextafter(below, -2.0f), above = std::nextafter(above, 2.0f);
      REQUIRE(to_gray(below) == reference_gray(below));
      REQUIRE(to_gray(above) == reference_gray(above));
    }
  }
  // And a sample of every bit pattern (the whole 2^32 was checked once by hand: no difference).
  for (uint64_t u = 0; u < (uint64_t{1} << 32); u += 65521)
    REQUIRE(to_gray(from_bits(uint32_t(u))) == reference_gray(from_bits(uint32_t(u))));
  CHECK(to_gray(-1.0f) == 0);
  CHECK(to_gray(1.0f) == 255);
  CHECK(to_gray(0.0f) == 128);  // 127.5 rounds up
  CHECK(to_gray(std::numeric_limits<float>::quiet_NaN()) == 0);
  CHECK(to_gray(std::numeric_limits<float>::infinity()) == 255);
}
