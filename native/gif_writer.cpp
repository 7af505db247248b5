// Animated grayscale GIF output: the core's encoder (src/gif_encoder.cpp) makes the bytes, write_file_atomic puts
// them on disk; the messages name the file.
#include "gif_writer.h"

#include <stdexcept>

#include "atomic_file.h"
#include "gif_encoder.h"

namespace gan {

void write_animated_gif(const std::string& path, const std::vector<std::vector<unsigned char>>& gray_frames, int width,
                        int height, int delay_centiseconds) {
  std::vector<uint8_t> bytes;
  try {
    bytes = encode_gray_gif(gray_frames, width, height, delay_centiseconds);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error("cannot write GIF " + path + ": " + e.what());
  }
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace gan
