// PNG encoding (stb_image_write, compiled into libstb) and crash-safe PNG file output.
#include "png_writer.h"

#include <stb/stb_image_write.h>

#include <climits>
#include <new>
#include <stdexcept>

#include "atomic_file.h"

namespace gan {
namespace {

struct PngSink {
  std::vector<unsigned char>* out;
  bool failed;
};

// Called from C code: an exception must not unwind through stb, so record the failure instead.
void append_bytes(void* context, void* data, int size) {
  auto* sink = static_cast<PngSink*>(context);
  if (sink->failed || size <= 0) return;
  try {
    const auto* bytes = static_cast<const unsigned char*>(data);
    sink->out->insert(sink->out->end(), bytes, bytes + size);
  } catch (const std::bad_alloc&) {
    sink->failed = true;
  }
}

void check_args(const unsigned char* pixels, int width, int height, int channels) {
  if (pixels == nullptr) throw std::runtime_error("encode_png: pixel pointer is null; pass the image buffer");
  if (width <= 0 || height <= 0)
    throw std::runtime_error("encode_png: image size " + std::to_string(width) + "x" + std::to_string(height) +
                             " is invalid; width and height must be positive");
  if (channels < 1 || channels > 4)
    throw std::runtime_error("encode_png: " + std::to_string(channels) +
                             " channels is unsupported; use 1 (gray) or 3 (RGB)");
  // stb takes the row stride as int and allocates the whole filtered image at once.
  if (static_cast<long long>(width) * channels * height > INT_MAX / 2)
    throw std::runtime_error("encode_png: image " + std::to_string(width) + "x" + std::to_string(height) +
                             " is too large for PNG encoding; make it smaller");
}

}  // namespace

std::vector<unsigned char> encode_png(const unsigned char* pixels, int width, int height, int channels) {
  check_args(pixels, width, height, channels);
  std::vector<unsigned char> png;
  PngSink sink{&png, false};
  int ok = stbi_write_png_to_func(append_bytes, &sink, width, height, channels, pixels, width * channels);
  if (sink.failed) throw std::bad_alloc();
  if (!ok || png.empty())
    throw std::runtime_error("encode_png: stb_image_write failed to encode a " + std::to_string(width) + "x" +
                             std::to_string(height) + " image (out of memory?)");
  return png;
}

void write_png(const std::string& path, const unsigned char* pixels, int width, int height, int channels) {
  std::vector<unsigned char> png = encode_png(pixels, width, height, channels);
  write_file_atomic(path, png.data(), png.size());
}

}  // namespace gan
