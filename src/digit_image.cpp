// MNIST's preprocessing for a picture of a digit: ink from the background, crop, fit into 20x20, centre by mass.
#include "digit_image.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace gan {

namespace {

constexpr int kSide = 28, kBox = 20;

// A float image, row by row.
struct Plane {
  int width = 0, height = 0;
  std::vector<float> v;
  float& at(int x, int y) { return v[size_t(y) * size_t(width) + size_t(x)]; }
  float at(int x, int y) const { return v[size_t(y) * size_t(width) + size_t(x)]; }
};

uint8_t border_median(const uint8_t* gray, int w, int h) {
  std::vector<uint8_t> border;
  for (int x = 0; x < w; ++x) border.insert(border.end(), {gray[x], gray[size_t(h - 1) * size_t(w) + size_t(x)]});
  for (int y = 0; y < h; ++y) border.insert(border.end(), {gray[size_t(y) * size_t(w)], gray[size_t(y) * size_t(w) + size_t(w - 1)]});
  std::nth_element(border.begin(), border.begin() + border.size() / 2, border.end());
  return border[border.size() / 2];
}

// Ink in [0, 1]: the distance from the background level toward the far end, so either polarity gives white ink.
Plane ink_of(const uint8_t* gray, int w, int h) {
  const int background = border_median(gray, w, h);
  const bool dark_ink = background > 127;
  const float range = dark_ink ? float(background) : float(255 - background);
  Plane ink{w, h, std::vector<float>(size_t(w) * size_t(h), 0.0f)};
  if (range < 1) return ink;
  for (size_t i = 0; i < ink.v.size(); ++i) {
    const float d = dark_ink ? float(background - gray[i]) : float(gray[i] - background);
    ink.v[i] = std::clamp(d / range, 0.0f, 1.0f);
  }
  return ink;
}

struct Box {
  int x0, y0, x1, y1;  // inclusive
};

// The bounding box of the pixels with at least a fifth of the strongest ink; throws when there is no ink.
Box ink_box(const Plane& ink) {
  const float strongest = *std::max_element(ink.v.begin(), ink.v.end());
  if (strongest < 0.15f)
    throw std::invalid_argument("the picture has no digit in it (it is all one colour): draw or photograph a digit, "
                                "dark on light or light on dark");
  Box b{ink.width, ink.height, -1, -1};
  for (int y = 0; y < ink.height; ++y)
    for (int x = 0; x < ink.width; ++x)
      if (ink.at(x, y) >= 0.2f * strongest) {
        b.x0 = std::min(b.x0, x), b.y0 = std::min(b.y0, y), b.x1 = std::max(b.x1, x), b.y1 = std::max(b.y1, y);
      }
  return b;
}

// The box's content scaled so its longer side is 20 pixels, each output pixel the mean of the area it covers.
Plane fit_into_box(const Plane& ink, const Box& b) {
  const int cw = b.x1 - b.x0 + 1, ch = b.y1 - b.y0 + 1;
  const double scale = double(kBox) / std::max(cw, ch);
  Plane out{std::max(1, int(std::lround(cw * scale))), std::max(1, int(std::lround(ch * scale))), {}};
  out.v.assign(size_t(out.width) * size_t(out.height), 0.0f);
  for (int oy = 0; oy < out.height; ++oy) {
    const double sy0 = b.y0 + oy / scale, sy1 = b.y0 + (oy + 1) / scale;
    for (int ox = 0; ox < out.width; ++ox) {
      const double sx0 = b.x0 + ox / scale, sx1 = b.x0 + (ox + 1) / scale;
      double sum = 0, area = 0;
      for (int y = int(std::floor(sy0)); y < int(std::ceil(sy1)) && y <= b.y1; ++y) {
        const double wy = std::min(sy1, y + 1.0) - std::max(sy0, double(y));
        for (int x = int(std::floor(sx0)); x < int(std::ceil(sx1)) && x <= b.x1; ++x) {
          const double wx = std::min(sx1, x + 1.0) - std::max(sx0, double(x));
          sum += wx * wy * ink.at(x, y);
          area += wx * wy;
        }
      }
      out.at(ox, oy) = area > 0 ? float(sum / area) : 0.0f;
    }
  }
  return out;
}

}  // namespace

RowVector mnist_digit_from_gray(const uint8_t* gray, int width, int height) {
  if (width < kMinDigitImageSide || height < kMinDigitImageSide)
    throw std::invalid_argument("the picture is " + std::to_string(width) + "x" + std::to_string(height) +
                                " pixels: too small to hold a digit (at least " +
                                std::to_string(kMinDigitImageSide) + "x" + std::to_string(kMinDigitImageSide) + ")");
  if (int64_t(width) * height > kMaxDigitImagePixels)
    throw std::invalid_argument("the picture is " + std::to_string(width) + "x" + std::to_string(height) +
                                " pixels: too large (at most 16 megapixels); scale it down first");
  const Plane ink = ink_of(gray, width, height);
  const Plane digit = fit_into_box(ink, ink_box(ink));
  // Centre of mass to the middle of the 28x28 field (MNIST's whole-pixel shift).
  double mass = 0, mx = 0, my = 0, strongest = 0;
  for (int y = 0; y < digit.height; ++y)
    for (int x = 0; x < digit.width; ++x) {
      const double v = digit.at(x, y);
      mass += v, mx += v * (x + 0.5), my += v * (y + 0.5), strongest = std::max(strongest, v);
    }
  const int dx = int(std::lround(kSide / 2.0 - mx / mass)), dy = int(std::lround(kSide / 2.0 - my / mass));
  RowVector out = RowVector::Constant(kSide * kSide, -1.0f);
  for (int y = 0; y < digit.height; ++y)
    for (int x = 0; x < digit.width; ++x) {
      const int tx = x + dx, ty = y + dy;
      if (tx < 0 || ty < 0 || tx >= kSide || ty >= kSide) continue;
      out[ty * kSide + tx] = float(2.0 * digit.at(x, y) / strongest - 1.0);  // the strongest ink is full white
    }
  return out;
}

}  // namespace gan
