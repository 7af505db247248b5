// Linear layer: the matrix products go to Eigen's GEMM (multi-threaded when Eigen has threads).
#include "linear.h"

#include <cmath>

namespace gan {

Linear::Linear(int in_features, int out_features)
    : weight(Matrix::Zero(out_features, in_features)),
      bias(RowVector::Zero(out_features)),
      grad_weight(Matrix::Zero(out_features, in_features)),
      grad_bias(RowVector::Zero(out_features)) {}

void Linear::reset_parameters(Rng& rng) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(in_features()));
  rng.uniform(weight.data(), static_cast<size_t>(weight.size()), -bound, bound);
  rng.uniform(bias.data(), static_cast<size_t>(bias.size()), -bound, bound);
}

void Linear::forward(const Matrix& x, Matrix& y) const {
  // Starting from the bias and accumulating saves the zero fill that `y = x * W^T` does first.
  y = bias.replicate(x.rows(), 1);
  y.noalias() += x * weight.transpose();
}

void Linear::backward(const ConstRowsRef& x, const Matrix& grad_y, Matrix* grad_x, bool param_grads) {
  if (param_grads) {
    grad_weight.noalias() = grad_y.transpose() * x;
    grad_bias = grad_y.colwise().sum();
  }
  if (grad_x) {
    grad_x->resize(grad_y.rows(), in_features());
    grad_x->noalias() = grad_y * weight;
  }
}

}  // namespace gan
