// Puts rectangles of the SDL window's surface straight into the page's canvas: SDL2's Emscripten present copies and
// puts the whole canvas (233 x 233 for an 8 x 8 grid), where a slider move changed one 84 x 84 digit.
#pragma once
#include <SDL.h>

#include <vector>

namespace gan {

// Runs `renderer`'s queued drawing into `window`'s surface (the software renderer draws there) and puts `rects` of
// it into <canvas id="canvas">, opaque. The rest of the canvas keeps what it shows.
void put_surface_rects(SDL_Renderer* renderer, SDL_Window* window, const std::vector<SDL_Rect>& rects);

}  // namespace gan
