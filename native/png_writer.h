// PNG encoding (stb_image_write) and crash-safe PNG file output.
#pragma once

#include <string>
#include <vector>

namespace gan {

// Encodes tightly packed 8-bit pixels (rows top to bottom) as PNG in memory.
// channels: 1 = gray, 3 = RGB (2 = gray+alpha and 4 = RGBA also work).
// Throws std::runtime_error on bad arguments or encoder failure.
std::vector<unsigned char> encode_png(const unsigned char* pixels, int width, int height, int channels);

// encode_png + write_file_atomic: `path` is either untouched or fully replaced.
void write_png(const std::string& path, const unsigned char* pixels, int width, int height, int channels);

}  // namespace gan
