// Helpers of the GPU tests: host matrices to the device and back (closeness to the CPU's result is close_to.h's).
#pragma once
#include "close_to.h"
#include "cuda_context.h"
#include "tensor.h"

namespace gan::testing {

inline cuda::DeviceArray<float> to_device(const Matrix& m) {
  cuda::DeviceArray<float> d(static_cast<size_t>(m.size()));
  d.upload(m.data(), d.size());
  return d;
}

inline Matrix to_host(const cuda::DeviceArray<float>& d, Eigen::Index rows, Eigen::Index cols) {
  Matrix m(rows, cols);
  d.download(m.data(), static_cast<size_t>(m.size()));
  return m;
}

}  // namespace gan::testing
