// Picture files through stb_image (compiled into libstb), with the checks that come before decoding.
#include "image_reader.h"

#include <stb/stb_image.h>

#include <cstring>
#include <memory>

#include "file_io.h"

namespace gan {

namespace {

// Whether a PNG has an animation control chunk (APNG): scanned chunk by chunk up to the first image data.
bool is_animated_png(const std::vector<uint8_t>& b) {
  static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (b.size() < 8 || std::memcmp(b.data(), signature, 8) != 0) return false;
  for (size_t at = 8; at + 8 <= b.size();) {
    const uint32_t length = uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 | b[at + 3];
    const char* type = reinterpret_cast<const char*>(b.data() + at + 4);
    if (std::memcmp(type, "acTL", 4) == 0) return true;
    if (std::memcmp(type, "IDAT", 4) == 0) return false;
    at += 12 + size_t(length);
  }
  return false;
}

}  // namespace

GrayImage read_gray_image(const std::string& path, int64_t max_pixels) {
  const std::vector<uint8_t> bytes = read_file(path, uint64_t{256} << 20);
  if (bytes.size() > size_t(INT32_MAX)) throw UserError(path + ": the file is too large to be a picture of a digit");
  const int size = static_cast<int>(bytes.size());
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(bytes.data(), size, &w, &h, &channels))
    throw UserError(path + ": not a picture this program reads (" + std::string(stbi_failure_reason()) +
                    "); save the digit as a PNG");
  if (is_animated_png(bytes))
    throw UserError(path + ": an animated PNG; save one frame of it as a plain PNG");
  if (int64_t(w) * h > max_pixels)
    throw UserError(path + ": the picture is " + std::to_string(w) + "x" + std::to_string(h) +
                    " pixels, too large for a digit (at most " + std::to_string(max_pixels / 1000000) +
                    " megapixels); scale it down first");
  // Grey and alpha: transparent parts become white paper, as a drawing saved with a transparent background shows.
  std::unique_ptr<stbi_uc, void (*)(void*)> decoded(stbi_load_from_memory(bytes.data(), size, &w, &h, &channels, 2),
                                                     stbi_image_free);
  if (!decoded) throw UserError(path + ": the picture could not be decoded (" + std::string(stbi_failure_reason()) + ")");
  GrayImage image{w, h, std::vector<uint8_t>(size_t(w) * size_t(h))};
  for (size_t i = 0; i < image.pixels.size(); ++i) {
    const int grey = decoded.get()[2 * i], alpha = decoded.get()[2 * i + 1];
    image.pixels[i] = static_cast<uint8_t>((grey * alpha + 255 * (255 - alpha) + 127) / 255);
  }
  return image;
}

}  // namespace gan
