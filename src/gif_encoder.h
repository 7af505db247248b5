// Animated grey GIF89a files built in memory (our own LZW encoder): the front ends write the bytes where they like.
#pragma once
#include <cstdint>
#include <vector>

namespace gan {

// Gray frames (each width*height bytes, 0 black .. 255 white, rows top to bottom) as an animated GIF89a that loops
// forever (NETSCAPE2.0), each frame shown delay_centiseconds. Throws std::invalid_argument on zero frames, a frame of
// the wrong size, width or height outside 1..65535, or a delay outside 1..65535.
std::vector<uint8_t> encode_gray_gif(const std::vector<std::vector<uint8_t>>& frames, int width, int height,
                                     int delay_centiseconds);

}  // namespace gan
