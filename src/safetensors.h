// Reads and writes the safetensors format (8-byte header length, JSON header, raw little-endian tensor data).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "format_error.h"

namespace gan {

// F32 and F16 store any values; I8 stores whole numbers in [-128, 127] (quantized weights: the scale lives in
// another tensor, see weights.h).
enum class DType { F32, F16, I8 };

// A tensor as the core uses it: always float32 in memory, whatever dtype the file stored.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> values;
  std::optional<DType> store_as;  // when writing: this dtype instead of the file's
  int64_t numel() const;
};

struct SafeTensors {
  std::map<std::string, std::string> metadata;
  std::vector<std::pair<std::string, Tensor>> tensors;  // file order when written

  const Tensor* find(const std::string& name) const;
  Tensor* find(const std::string& name);
  void add(std::string name, std::vector<int64_t> shape, const float* data);
};

// A tensor still in the file's bytes: its values are decoded when asked for. The bytes belong to the caller and
// must outlive the view.
struct TensorView {
  enum class Stored { F32, F16, BF16, I8 };
  std::vector<int64_t> shape;
  Stored dtype = Stored::F32;
  const uint8_t* bytes = nullptr;
  int64_t numel() const;
  // Values [first, first + count) as float32.
  void decode(size_t first, size_t count, float* out) const;
};

// A file's metadata and its tensors, checked but not decoded: loaders copy each tensor once, straight to where it
// is used, instead of holding a float32 copy of the whole file.
struct SafeTensorsView {
  std::map<std::string, std::string> metadata;
  std::vector<std::pair<std::string, TensorView>> tensors;  // file order
  const TensorView* find(const std::string& name) const;
};

// Limits checked before anything is allocated from what a header claims.
struct SafeTensorsLimits {
  uint64_t max_header_bytes = 1u << 20;  // our headers are a few KB; the reference implementation allows 100 MB
  size_t max_tensors = 4096;
  size_t max_rank = 8;
  int64_t max_elements = int64_t{1} << 28;  // per file: 1 GiB of float32
};

// Checks a whole file held in memory: every claim of the header against the bytes present, and that the tensors'
// bytes tile the data area with no overlap, gap or trailing bytes (as the reference reader requires). Accepts F32,
// F16, BF16 and I8 tensors; throws FormatError on anything malformed.
SafeTensorsView index_safetensors(const uint8_t* data, size_t size, const SafeTensorsLimits& limits = {});
// The same checks, with every tensor decoded to float32.
SafeTensors parse_safetensors(const uint8_t* data, size_t size, const SafeTensorsLimits& limits = {});
std::vector<uint8_t> write_safetensors(const SafeTensors& file, DType dtype = DType::F32);

}  // namespace gan
