// Paints the grid of generated digits with SDL2: crisp nearest-neighbour upscaling, the selected digit outlined.
// The same code draws into the page's <canvas> (wasm) and into the native window.
#pragma once
#include <SDL.h>

#include <vector>

#include "grid_layout.h"
#include "tensor.h"

namespace gan {

// Colours of the view, shared by the page's CSS and the native window.
struct ViewColours {
  SDL_Color background{24, 26, 33, 255};
  SDL_Color highlight{255, 159, 28, 255};
};

// The 32-bit pixel format that `renderer` draws into without converting: a software renderer's window surface
// (the page's canvas) has its own, where ARGB8888 textures would be converted pixel by pixel on every frame;
// ARGB8888 otherwise.
Uint32 native_texture_format(SDL_Renderer* renderer);

class GridRenderer {
 public:
  // `texture_format`: a 32-bit RGB format, best the one the renderer's target has (a software renderer drawing into
  // a surface cannot be asked which).
  GridRenderer(SDL_Renderer* renderer, GridLayout layout);
  GridRenderer(SDL_Renderer* renderer, GridLayout layout, Uint32 texture_format);
  ~GridRenderer();
  GridRenderer(const GridRenderer&) = delete;
  GridRenderer& operator=(const GridRenderer&) = delete;

  const GridLayout& layout() const { return layout_; }

  // Copies the given rows of `digits` ([count, 784] in [-1, 1]) into their cells of the grid texture (the others
  // keep theirs).
  void update_digits(const Matrix& digits, const std::vector<int>& which);
  // Clears the grid's area and draws every digit, outlining `selected` (none when -1). Does not present.
  void draw(int selected, int origin_x = 0, int origin_y = 0);
  // Draws only digits `which` over a target that still holds the last draw (their outline and the gaps are left as
  // they are). Returns where they landed on screen, one rectangle per digit, for a present of just those. Does not
  // present.
  std::vector<SDL_Rect> draw_digits(const std::vector<int>& which, int origin_x = 0, int origin_y = 0);

 private:
  SDL_Renderer* renderer_;
  GridLayout layout_;
  ViewColours colours_;
  SDL_Texture* texture_ = nullptr;
  std::vector<uint32_t> pixels_;  // the texture's contents at digit resolution, in its format
  uint32_t greys_[256] = {};      // each grey level as a pixel of the texture's format
};

}  // namespace gan
