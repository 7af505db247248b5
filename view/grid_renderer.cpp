// Paints the grid of generated digits with SDL2: crisp nearest-neighbour upscaling, the selected digit outlined.
#include "grid_renderer.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "image_grid.h"

namespace gan {

Uint32 native_texture_format(SDL_Renderer* renderer) {
  SDL_RendererInfo info;
  SDL_Window* window = SDL_RenderGetWindow(renderer);
  // Only a software renderer draws into the window surface; asking another renderer's window for one would make it.
  if (window && SDL_GetRendererInfo(renderer, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE))
    if (const SDL_Surface* surface = SDL_GetWindowSurface(window); surface && surface->format->BytesPerPixel == 4)
      return surface->format->format;
  return SDL_PIXELFORMAT_ARGB8888;
}

GridRenderer::GridRenderer(SDL_Renderer* renderer, GridLayout layout)
    : GridRenderer(renderer, layout, native_texture_format(renderer)) {}

GridRenderer::GridRenderer(SDL_Renderer* renderer, GridLayout layout, Uint32 texture_format)
    : renderer_(renderer), layout_(layout) {
  std::unique_ptr<SDL_PixelFormat, decltype(&SDL_FreeFormat)> format(SDL_AllocFormat(texture_format), SDL_FreeFormat);
  if (!format || format->BytesPerPixel != 4)
    throw std::invalid_argument(std::string("the digit texture needs a 32-bit pixel format, not ") +
                                SDL_GetPixelFormatName(texture_format));
  for (int g = 0; g < 256; ++g) greys_[g] = SDL_MapRGBA(format.get(), Uint8(g), Uint8(g), Uint8(g), 255);
  const SDL_Color bg = colours_.background;
  // Nearest-neighbour scaling keeps every digit pixel a sharp square instead of a blur.
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "nearest");
  texture_ = SDL_CreateTexture(renderer_, texture_format, SDL_TEXTUREACCESS_STREAMING, layout_.texture_width(),
                               layout_.texture_height());
  if (!texture_) throw std::runtime_error(std::string("could not create the digit texture: ") + SDL_GetError());
  SDL_SetTextureBlendMode(texture_, SDL_BLENDMODE_NONE);  // opaque: a plain copy
  pixels_.assign(size_t(layout_.texture_width()) * layout_.texture_height(),
                 SDL_MapRGBA(format.get(), bg.r, bg.g, bg.b, bg.a));
  SDL_UpdateTexture(texture_, nullptr, pixels_.data(), layout_.texture_width() * 4);
}

GridRenderer::~GridRenderer() {
  if (texture_) SDL_DestroyTexture(texture_);
}

void GridRenderer::update_digits(const Matrix& digits, const std::vector<int>& which) {
  const int side = GridLayout::kDigitSide, stride = layout_.texture_width();
  int x0 = stride, y0 = layout_.texture_height(), x1 = 0, y1 = 0;  // bounding box of what changed
  for (int i : which) {
    if (i >= layout_.count() || i >= digits.rows()) continue;
    const float* digit = digits.row(i).data();
    const int cx = layout_.cell_x(i), cy = layout_.cell_y(i);
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) {
        pixels_[size_t(cy + y) * stride + cx + x] = greys_[to_gray(digit[y * side + x])];
      }
    x0 = std::min(x0, cx), y0 = std::min(y0, cy), x1 = std::max(x1, cx + side), y1 = std::max(y1, cy + side);
  }
  if (x1 <= x0) return;
  const SDL_Rect rect{x0, y0, x1 - x0, y1 - y0};
  SDL_UpdateTexture(texture_, &rect, pixels_.data() + size_t(y0) * stride + x0, stride * 4);
}

std::vector<SDL_Rect> GridRenderer::draw_digits(const std::vector<int>& which, int origin_x, int origin_y) {
  const int side = GridLayout::kDigitSide, s = layout_.scale;
  std::vector<SDL_Rect> drawn;
  for (int i : which) {
    if (i < 0 || i >= layout_.count()) continue;
    const SDL_Rect cell{layout_.cell_x(i), layout_.cell_y(i), side, side};
    const SDL_Rect area{origin_x + cell.x * s, origin_y + cell.y * s, side * s, side * s};
    SDL_RenderCopy(renderer_, texture_, &cell, &area);
    drawn.push_back(area);
  }
  return drawn;
}

void GridRenderer::draw(int selected, int origin_x, int origin_y) {
  const SDL_Rect area{origin_x, origin_y, layout_.width(), layout_.height()};
  SDL_RenderCopy(renderer_, texture_, nullptr, &area);
  if (selected < 0 || selected >= layout_.count()) return;
  // The outline sits in the gap around the digit (and inside it when the gap is thinner than the line).
  const int s = layout_.scale, side = GridLayout::kDigitSide * s;
  const int thickness = std::max(1, s);  // with the default 1-pixel gap: exactly the gap
  const int x = origin_x + layout_.cell_x(selected) * s, y = origin_y + layout_.cell_y(selected) * s;
  const int out = std::min(thickness, layout_.gap * s);
  SDL_SetRenderDrawColor(renderer_, colours_.highlight.r, colours_.highlight.g, colours_.highlight.b, 255);
  const SDL_Rect edges[4] = {{x - out, y - out, side + 2 * out, thickness},
                             {x - out, y + side + out - thickness, side + 2 * out, thickness},
                             {x - out, y - out, thickness, side + 2 * out},
                             {x + side + out - thickness, y - out, thickness, side + 2 * out}};
  SDL_RenderFillRects(renderer_, edges, 4);
}

}  // namespace gan
