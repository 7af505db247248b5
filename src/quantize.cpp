// Per-slice symmetric int8 quantisation, rounded to nearest.
#include "quantize.h"

#include <algorithm>
#include <cmath>

namespace gan {

void add_quantized(SafeTensors& file, const std::string& name, const std::vector<int64_t>& shape, const float* values) {
  const int64_t rows = shape.at(0);
  int64_t cols = 1;
  for (size_t d = 1; d < shape.size(); ++d) cols *= shape[d];
  std::vector<float> q(static_cast<size_t>(rows * cols)), scale(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = values + r * cols;
    float top = 0;
    for (int64_t c = 0; c < cols; ++c) top = std::max(top, std::fabs(row[c]));
    scale[r] = top > 0 ? top / 127.0f : 1.0f;
    for (int64_t c = 0; c < cols; ++c)
      q[r * cols + c] = std::max(-127.0f, std::min(127.0f, std::nearbyint(row[c] / scale[r])));
  }
  file.add(name, shape, q.data());
  file.tensors.back().second.store_as = DType::I8;
  file.add(name + "_scale", {rows}, scale.data());
  file.tensors.back().second.store_as = DType::F32;
}

}  // namespace gan
