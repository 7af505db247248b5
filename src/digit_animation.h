// An animation of digits (a walk or an interpolation through latent space) as an animated GIF's bytes.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor.h"

namespace gan {

constexpr int kMaxAnimationFrames = 1000;  // 20 s at 50 frames/s; the page records fewer

// `frames` is [N, 784], one digit in [-1, 1] per frame, each pixel drawn `scale` (1..16) pixels wide, each frame
// shown delay_cs hundredths of a second, looping. Throws std::invalid_argument on no frames, more than
// kMaxAnimationFrames, or a scale outside 1..16.
std::vector<uint8_t> digit_animation_gif(const Matrix& frames, int scale, int delay_cs);

}  // namespace gan
