// Activations and dropout as plain element-wise array expressions (Eigen vectorises them).
#include "activations.h"

#include <vector>

namespace gan {

void leaky_relu_forward(Matrix& x, float slope) {
  auto a = x.array();
  a = (a > 0.0f).select(a, slope * a);
}

void leaky_relu_backward(const Matrix& y, Matrix& grad, float slope) {
  grad.array() = (y.array() > 0.0f).select(grad.array(), slope * grad.array());
}

void tanh_forward(Matrix& x) { x.array() = x.array().tanh(); }

void tanh_backward(const Matrix& y, Matrix& grad) {
  grad.array() *= 1.0f - y.array().square();
}

void dropout_forward(Matrix& x, Matrix& mask, float p, Rng& rng) {
  mask.resize(x.rows(), x.cols());
  const size_t n = static_cast<size_t>(x.size());
  std::vector<float> u(n);
  rng.uniform(u.data(), n);
  const float keep_scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
  float* m = mask.data();
  for (size_t i = 0; i < n; ++i) m[i] = u[i] >= p ? keep_scale : 0.0f;
  x.array() *= mask.array();
}

void dropout_backward(const Matrix& mask, Matrix& grad) { grad.array() *= mask.array(); }

}  // namespace gan
