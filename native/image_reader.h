// Reads a picture file (PNG, also JPEG, BMP, GIF's first frame) as grey levels, refusing animations and huge images.
#pragma once
#include <cstdint>
#include <string>

#include "image_grid.h"

namespace gan {

// Row by row, 0 black to 255 white: colour converted to grey, transparent parts as white paper.
// Throws UserError naming `path` and what is wrong: not a picture, an animated PNG, more pixels than `max_pixels`
// (checked from the header, before decoding).
GrayImage read_gray_image(const std::string& path, int64_t max_pixels);

}  // namespace gan
