// Each frame's digit rendered as the sample grids render digits, then encoded as one looping GIF.
#include "digit_animation.h"

#include <stdexcept>
#include <string>

#include "gif_encoder.h"
#include "image_grid.h"

namespace gan {

std::vector<uint8_t> digit_animation_gif(const Matrix& frames, int scale, int delay_cs) {
  if (frames.rows() < 1 || frames.rows() > kMaxAnimationFrames)
    throw std::invalid_argument("an animation needs 1 to " + std::to_string(kMaxAnimationFrames) + " frames");
  if (scale < 1 || scale > 16) throw std::invalid_argument("an animation's scale must be 1 to 16");
  std::vector<std::vector<uint8_t>> gray;
  GrayImage frame;
  for (Eigen::Index f = 0; f < frames.rows(); ++f) {
    frame = render_grid(frames.row(f), 1, scale, 0);
    gray.push_back(std::move(frame.pixels));
  }
  return encode_gray_gif(gray, frame.width, frame.height, delay_cs);
}

}  // namespace gan
