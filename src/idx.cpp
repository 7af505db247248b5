// IDX parsing: big-endian header of magic (0x0000 08 <ndims>), then one uint32 per dimension, then unsigned bytes.
#include "idx.h"

#include <algorithm>
#include <cstdio>

namespace gan {

namespace {

uint32_t read_u32_be(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 | p[3];
}

// Checks the magic and the total size, returns the dimensions.
std::vector<uint32_t> read_header(const uint8_t* data, size_t size, uint32_t ndims, const std::string& name) {
  const size_t header = 4 + 4 * static_cast<size_t>(ndims);
  if (size < 4) throw FormatError(name + ": the file is only " + std::to_string(size) + " bytes, not an IDX file");
  const uint32_t magic = read_u32_be(data);
  const uint32_t expected = 0x00000800u | ndims;
  if (magic != expected) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "0x%08X, expected 0x%08X", magic, expected);
    std::string hint = (data[0] == 0x1f && data[1] == 0x8b) ? " (it is still gzip-compressed)" : "";
    throw FormatError(name + ": bad magic number " + buf + hint + "; is this the right MNIST file?");
  }
  if (size < header) throw FormatError(name + ": the header is truncated");
  std::vector<uint32_t> dims(ndims);
  uint64_t total = 1;
  for (uint32_t i = 0; i < ndims; ++i) {
    dims[i] = read_u32_be(data + 4 + 4 * i);
    total *= dims[i];
    if (total > (uint64_t{1} << 34)) throw FormatError(name + ": the header claims an absurd size");
  }
  if (size - header < total)
    throw FormatError(name + ": truncated: the header promises " + std::to_string(total) + " bytes of data, the file has " +
                      std::to_string(size - header) + "; download or unpack it again");
  if (size - header > total)
    throw FormatError(name + ": " + std::to_string(size - header - total) + " unexpected bytes after the data");
  return dims;
}

}  // namespace

IdxImages parse_idx_images(const uint8_t* data, size_t size, const std::string& name) {
  const auto dims = read_header(data, size, 3, name);
  IdxImages out{dims[0], dims[1], dims[2], {}};
  if (out.rows != 28 || out.cols != 28)
    throw FormatError(name + ": images are " + std::to_string(out.rows) + "x" + std::to_string(out.cols) +
                      ", the model needs 28x28 (MNIST or Fashion-MNIST)");
  if (out.count == 0) throw FormatError(name + ": the file holds no images");
  out.pixels.assign(data + 16, data + size);
  return out;
}

std::vector<uint8_t> parse_idx_labels(const uint8_t* data, size_t size, const std::string& name) {
  read_header(data, size, 1, name);
  return std::vector<uint8_t>(data + 8, data + size);
}

std::vector<uint8_t> write_idx_images(const IdxImages& images) {
  std::vector<uint8_t> out(16 + images.pixels.size());
  const uint32_t words[4] = {0x00000803u, images.count, images.rows, images.cols};
  for (int w = 0; w < 4; ++w)
    for (int b = 0; b < 4; ++b) out[static_cast<size_t>(4 * w + b)] = static_cast<uint8_t>(words[w] >> (24 - 8 * b));
  std::copy(images.pixels.begin(), images.pixels.end(), out.begin() + 16);
  return out;
}

Matrix images_to_matrix(const IdxImages& images) {
  const Eigen::Index pixels = static_cast<Eigen::Index>(images.rows) * images.cols;
  Matrix m(static_cast<Eigen::Index>(images.count), pixels);
  float level[256];  // each byte's value in [-1, 1], computed once: a lookup, not a division per pixel
  for (int v = 0; v < 256; ++v) level[v] = (static_cast<float>(v) / 255.0f - 0.5f) / 0.5f;
  float* out = m.data();
  for (size_t i = 0; i < images.pixels.size(); ++i) out[i] = level[images.pixels[i]];
  return m;
}

}  // namespace gan
