// Paints the grid of generated digits with SDL2: crisp nearest-neighbour upscaling, the selected digit outlined.
#include "grid_renderer.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "image_grid.h"

namespace gan {
namespace {

uint32_t argb(SDL_Color c) { return (uint32_t(c.a) << 24) | (uint32_t(c.r) << 16) | (uint32_t(c.g) << 8) | c.b; }

}  // namespace

GridRenderer::GridRenderer(SDL_Renderer* renderer, GridLayout layout) : renderer_(renderer), layout_(layout) {
  // Nearest-neighbour scaling keeps every digit pixel a sharp square instead of a blur.
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "nearest");
  texture_ = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
                               layout_.texture_width(), layout_.texture_height());
  if (!texture_) throw std::runtime_error(std::string("could not create the digit texture: ") + SDL_GetError());
  pixels_.assign(size_t(layout_.texture_width()) * layout_.texture_height(), argb(colours_.background));
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
        const uint32_t g = to_gray(digit[y * side + x]);
        pixels_[size_t(cy + y) * stride + cx + x] = 0xff000000u | (g << 16) | (g << 8) | g;
      }
    x0 = std::min(x0, cx), y0 = std::min(y0, cy), x1 = std::max(x1, cx + side), y1 = std::max(y1, cy + side);
  }
  if (x1 <= x0) return;
  const SDL_Rect rect{x0, y0, x1 - x0, y1 - y0};
  SDL_UpdateTexture(texture_, &rect, pixels_.data() + size_t(y0) * stride + x0, stride * 4);
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
