// 8-bit weights: each slice along a tensor's first dimension (a Linear's output row, a convolution's first channel)
// stored as int8 values with one float32 scale, value = int8 * scale, scale = the slice's largest |w| / 127.
#pragma once
#include <string>
#include <vector>

#include "safetensors.h"

namespace gan {

// Adds tensor `name` as I8 and "<name>_scale" ([shape[0]], F32) to `file`.
void add_quantized(SafeTensors& file, const std::string& name, const std::vector<int64_t>& shape, const float* values);

}  // namespace gan
