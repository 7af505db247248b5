// GridRenderer on an SDL software renderer whose target is an RGBA surface.
#include "grid_image.h"

#include <SDL.h>

#include <cstring>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>

#include "grid_renderer.h"

namespace gan {

RgbaImage render_grid_image(const Matrix& digits, GridLayout layout) {
  RgbaImage image;
  image.width = layout.width();
  image.height = layout.height();
  // ABGR8888 is R, G, B, A in memory on little-endian machines (wasm and x86).
  std::unique_ptr<SDL_Surface, decltype(&SDL_FreeSurface)> surface(
      SDL_CreateRGBSurfaceWithFormat(0, image.width, image.height, 32, SDL_PIXELFORMAT_ABGR8888), SDL_FreeSurface);
  if (!surface) throw std::runtime_error(std::string("cannot make an image surface: ") + SDL_GetError());
  std::unique_ptr<SDL_Renderer, decltype(&SDL_DestroyRenderer)> renderer(SDL_CreateSoftwareRenderer(surface.get()),
                                                                          SDL_DestroyRenderer);
  if (!renderer) throw std::runtime_error(std::string("cannot make a software renderer: ") + SDL_GetError());
  {
    GridRenderer painter(renderer.get(), layout, surface->format->format);
    std::vector<int> all(static_cast<size_t>(std::min(static_cast<int>(digits.rows()), layout.count())));
    std::iota(all.begin(), all.end(), 0);
    painter.update_digits(digits, all);
    painter.draw(-1);
  }
  SDL_RenderPresent(renderer.get());
  image.pixels.resize(static_cast<size_t>(image.width) * image.height * 4);
  const auto* src = static_cast<const uint8_t*>(surface->pixels);
  for (int y = 0; y < image.height; ++y)
    std::memcpy(image.pixels.data() + static_cast<size_t>(y) * image.width * 4, src + static_cast<size_t>(y) * surface->pitch,
                static_cast<size_t>(image.width) * 4);
  return image;
}

}  // namespace gan
