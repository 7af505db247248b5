// Activations and dropout as plain element-wise array expressions (Eigen vectorises them).
#include "activations.h"


namespace gan {

void leaky_relu_forward(Matrix& x, float slope) {
  auto a = x.array();
  a = (a > 0.0f).select(a, slope * a);
}

void leaky_relu_backward(const ConstRowsRef& y, Matrix& grad, float slope) {
  grad.array() = (y.array() > 0.0f).select(grad.array(), slope * grad.array());
}

void tanh_forward(Matrix& x) { x.array() = x.array().tanh(); }

void tanh_backward(const ConstRowsRef& y, Matrix& grad) {
  grad.array() *= 1.0f - y.array().square();
}

void dropout_forward(Matrix& x, Matrix& mask, float p, Rng& rng) {
  mask.resize(x.rows(), x.cols());
  rng.uniform(mask.data(), static_cast<size_t>(mask.size()));  // uniforms first, turned into factors in place
  const float keep_scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
  mask.array() = (mask.array() >= p).select(keep_scale, Matrix::Zero(x.rows(), x.cols()).array());
  x.array() *= mask.array();
}

void dropout_backward(const Matrix& mask, Matrix& grad) { grad.array() *= mask.array(); }

void leaky_relu_dropout_backward(const ConstRowsRef& y, const ConstRowsRef& mask, Matrix& grad, float slope) {
  grad.array() = (y.array() > 0.0f).select(grad.array() * mask.array(), slope * grad.array() * mask.array());
}

}  // namespace gan
