// Reads the IDX files MNIST and Fashion-MNIST ship in (already decompressed: the caller gunzips).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "format_error.h"
#include "tensor.h"

namespace gan {

struct IdxImages {
  uint32_t count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols, row-major
};

// `name` only labels error messages. Checks the magic number, the sizes and that the data is all there.
IdxImages parse_idx_images(const uint8_t* data, size_t size, const std::string& name = "IDX images");
std::vector<uint8_t> parse_idx_labels(const uint8_t* data, size_t size, const std::string& name = "IDX labels");
std::vector<uint8_t> write_idx_images(const IdxImages& images);

// [count, rows*cols] with pixels scaled to [-1, 1] as the seed does: (p / 255 - 0.5) / 0.5.
Matrix images_to_matrix(const IdxImages& images);

}  // namespace gan
