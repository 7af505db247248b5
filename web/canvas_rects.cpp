// Puts rectangles of the SDL window's surface straight into the page's canvas.
#include "canvas_rects.h"

#include <emscripten.h>

namespace {

// One rectangle of 32-bit pixels in RGBA byte order (the canvas surface's ABGR8888 or XBGR8888) into the canvas.
// Its alpha byte may be unset (XBGR), so every pixel is made opaque, as SDL's own present does.
// clang-format off
EM_JS(void, put_rgba_rect, (const void* pixels, int pitch, int x, int y, int w, int h), {
  const ctx = Module['canvas'].getContext('2d');
  let image = Module['rectImage'];
  if (!image || image.width != w || image.height != h) image = Module['rectImage'] = ctx.createImageData(w, h);
  const out = new Uint32Array(image.data.buffer);
  for (let row = 0, k = 0; row < h; ++row) {
    const from = ((pixels + (y + row) * pitch) >> 2) + x;
    for (let col = 0; col < w; ++col) out[k++] = HEAPU32[from + col] | 0xff000000;
  }
  ctx.putImageData(image, x, y);
});
// clang-format on

}  // namespace

namespace gan {

void put_surface_rects(SDL_Renderer* renderer, SDL_Window* window, const std::vector<SDL_Rect>& rects) {
  SDL_RenderFlush(renderer);
  const SDL_Surface* surface = SDL_GetWindowSurface(window);
  if (!surface || surface->format->BytesPerPixel != 4) {
    SDL_UpdateWindowSurface(window);  // not a surface this knows: SDL's own present of all of it
    return;
  }
  for (SDL_Rect r : rects) {
    const SDL_Rect whole{0, 0, surface->w, surface->h};
    if (SDL_IntersectRect(&r, &whole, &r)) put_rgba_rect(surface->pixels, surface->pitch, r.x, r.y, r.w, r.h);
  }
}

}  // namespace gan
