// Lays generated digits out as one grayscale image: a grid with a border, each digit upscaled by nearest neighbour.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor.h"

namespace gan {

struct GrayImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};

// Maps a pixel in [-1, 1] to 0..255 (values outside are clamped).
uint8_t to_gray(float v);

// `samples` is [N, 784]; `cols` digits per row; `scale` integer upscaling; `gap` pixels between digits.
GrayImage render_grid(const Matrix& samples, int cols, int scale = 1, int gap = 2);

}  // namespace gan
