// The native window's latent sliders: one thin vertical bar per dimension beside the grid, dragged with the mouse.
#include "latent_panel.h"

#include <algorithm>
#include <cmath>

namespace gan {

int LatentPanel::dim_at(int x, int y) const {
  if (y < y_ || y >= y_ + height_ || x < x_ + kBarPitch / 2) return -1;
  const int d = (x - x_ - kBarPitch / 2) / kBarPitch;
  return d < dims_ ? d : -1;
}

float LatentPanel::value_at(int y) const {
  const float t = float(y - y_) / float(std::max(1, height_ - 1));  // 0 at the top
  return std::clamp(kRange - 2 * kRange * t, -kRange, kRange);
}

void LatentPanel::draw(SDL_Renderer* renderer, const float* values) const {
  const int mid = y_ + height_ / 2;
  SDL_SetRenderDrawColor(renderer, 60, 64, 76, 255);
  const SDL_Rect axis{x_, mid, width(), 1};
  SDL_RenderFillRect(renderer, &axis);
  SDL_SetRenderDrawColor(renderer, 110, 170, 255, 255);
  for (int d = 0; d < dims_; ++d) {
    const float v = std::clamp(values[d], -kRange, kRange);
    const int len = int(std::lround(std::fabs(v) / kRange * (height_ / 2 - 1)));
    const SDL_Rect bar{x_ + kBarPitch / 2 + d * kBarPitch, v >= 0 ? mid - len : mid, kBarWidth, std::max(1, len)};
    SDL_RenderFillRect(renderer, &bar);
  }
}

}  // namespace gan
