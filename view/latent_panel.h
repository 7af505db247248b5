// The native window's latent sliders: one thin vertical bar per dimension beside the grid, dragged with the mouse.
// (The page uses HTML range inputs instead.)
#pragma once
#include <SDL.h>

namespace gan {

class LatentPanel {
 public:
  static constexpr float kRange = 3.0f;  // bars span -3..3

  LatentPanel(int x, int y, int height, int dims) : x_(x), y_(y), height_(height), dims_(dims) {}

  int width() const { return dims_ * kBarPitch + kBarPitch; }
  // The dimension under screen point (x, y), or -1.
  int dim_at(int x, int y) const;
  // The value a click at height y sets, clamped to the range.
  float value_at(int y) const;
  // Draws `values` (dims floats) as bars from the middle line.
  void draw(SDL_Renderer* renderer, const float* values) const;

 private:
  static constexpr int kBarPitch = 5, kBarWidth = 4;
  int x_, y_, height_, dims_;
};

}  // namespace gan
