// A picture of a digit (any size, either polarity) made into an MNIST digit: 28x28, white on black, the digit fitted
// into 20x20 and centred by its centre of mass, as MNIST's digits were.
#pragma once
#include <cstdint>

#include "tensor.h"

namespace gan {

constexpr int kMinDigitImageSide = 8;          // smaller pictures hold no recognisable digit
constexpr int64_t kMaxDigitImagePixels = 1 << 24;  // 16 megapixels (4096 x 4096): a photo, not a poster

// `gray`: width * height values, row by row, 0 black to 255 white. The background is the picture's border (its
// median); a light background means dark ink, which is inverted. Returns one row of 784 pixels in [-1, 1].
// Throws std::invalid_argument saying what is wrong: a side under kMinDigitImageSide, more than
// kMaxDigitImagePixels, or no ink (a picture of one colour).
RowVector mnist_digit_from_gray(const uint8_t* gray, int width, int height);

}  // namespace gan
