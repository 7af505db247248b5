// Animated grayscale GIF files, e.g. for sample grids over training.
#pragma once

#include <string>
#include <vector>

namespace gan {

// Writes an animated GIF that loops forever (NETSCAPE2.0 extension), one frame per
// entry of `gray_frames`, each exactly width*height 8-bit gray pixels (rows top to
// bottom), shown for delay_centiseconds (1/100 s). The file is written atomically.
// Throws std::runtime_error on zero frames, mismatched frame sizes, a delay outside 1..65535 or I/O errors.
void write_animated_gif(const std::string& path, const std::vector<std::vector<unsigned char>>& gray_frames, int width,
                        int height, int delay_centiseconds = 20);

}  // namespace gan
