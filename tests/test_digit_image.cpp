// Pictures made into MNIST digits: either polarity, any size and place give the same centred 20x20-fitted digit,
// and pictures without a digit are refused.
#include <catch2/catch.hpp>

#include <vector>

#include "digit_image.h"

using namespace gan;

namespace {

// A w x h picture with a filled rectangle of `ink` on `paper` (a bar, like a "1").
std::vector<uint8_t> bar(int w, int h, int x0, int y0, int bw, int bh, uint8_t ink, uint8_t paper) {
  std::vector<uint8_t> g(size_t(w) * size_t(h), paper);
  for (int y = y0; y < y0 + bh; ++y)
    for (int x = x0; x < x0 + bw; ++x) g[size_t(y) * size_t(w) + size_t(x)] = ink;
  return g;
}

// Centre of mass of a digit's ink (pixels above -1), in pixel units.
std::pair<double, double> centre(const RowVector& d) {
  double m = 0, x = 0, y = 0;
  for (int i = 0; i < 784; ++i) {
    const double v = d[i] + 1;
    m += v, x += v * (i % 28 + 0.5), y += v * (i / 28 + 0.5);
  }
  return {x / m, y / m};
}

}  // namespace

TEST_CASE("a picture of a digit becomes MNIST's 28x28: fitted into 20x20, centred by mass, white on black",
          "[digit-image]") {
  // A tall bar, dark on white, off centre in a large picture.
  const auto dark_on_light = bar(600, 400, 40, 30, 40, 200, 10, 250);
  const RowVector a = mnist_digit_from_gray(dark_on_light.data(), 600, 400);
  REQUIRE(a.size() == 784);
  CHECK(a.minCoeff() == Approx(-1.0f));
  CHECK(a.maxCoeff() == Approx(1.0f));
  const auto [cx, cy] = centre(a);
  CHECK(cx == Approx(14).margin(0.6));
  CHECK(cy == Approx(14).margin(0.6));
  // The bar is 200 tall: 20 pixels after fitting; 40 wide: 4 pixels.
  int rows = 0, cols = 0;
  for (int y = 0; y < 28; ++y) rows += (a.segment(y * 28, 28).array() > 0).any();
  for (int x = 0; x < 28; ++x) {
    bool any = false;
    for (int y = 0; y < 28; ++y) any |= a[y * 28 + x] > 0;
    cols += any;
  }
  CHECK(rows == 20);
  CHECK(cols == 4);
  // The same bar light on dark, elsewhere in a smaller picture, gives the same digit.
  const auto light_on_dark = bar(120, 80, 70, 10, 8, 40, 240, 5);
  const RowVector b = mnist_digit_from_gray(light_on_dark.data(), 120, 80);
  CHECK((a - b).cwiseAbs().maxCoeff() < 0.05f);
}

TEST_CASE("pictures without a digit are refused with a message", "[digit-image]") {
  const std::vector<uint8_t> white(50 * 50, 255), grey(50 * 50, 128);
  CHECK_THROWS_WITH(mnist_digit_from_gray(white.data(), 50, 50), Catch::Contains("no digit"));
  CHECK_THROWS_WITH(mnist_digit_from_gray(grey.data(), 50, 50), Catch::Contains("no digit"));
  const uint8_t one = 0;
  CHECK_THROWS_WITH(mnist_digit_from_gray(&one, 1, 1), Catch::Contains("too small"));
  CHECK_THROWS_WITH(mnist_digit_from_gray(white.data(), 5000, 5000), Catch::Contains("too large"));
}
