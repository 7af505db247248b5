// The layers without parameters: activations and dropout (the seed MLP's own kernels) .
#include "activations.h"
#include "layer_kinds.h"

namespace gan {

void ActivationLayer::forward(const Matrix& x, Matrix& y, bool, Rng*) {
  switch (fn_) {
    case Fn::LeakyReLU: leaky_relu_forward(x, y, slope_); break;
    case Fn::ReLU: relu_forward(x, y); break;
    case Fn::Tanh: tanh_forward(x, y); break;
  }
}

void ActivationLayer::backward(const ConstRowsRef&, const ConstRowsRef& y, const Matrix& grad_y, Matrix* grad_x, bool,
                               Eigen::Index) {
  if (!grad_x) return;
  switch (fn_) {
    case Fn::LeakyReLU: leaky_relu_backward(y, grad_y, *grad_x, slope_); break;
    case Fn::ReLU: relu_backward(y, grad_y, *grad_x); break;
    case Fn::Tanh: tanh_backward(y, grad_y, *grad_x); break;
  }
}

void DropoutLayer::forward(const Matrix& x, Matrix& y, bool train, Rng* rng) {
  active_ = train && p_ > 0;
  if (!active_) {
    y = x;
    return;
  }
  if (!rng) throw std::logic_error("dropout in training mode needs an Rng");
  dropout_forward(x, y, mask_, p_, *rng);
}

void DropoutLayer::backward(const ConstRowsRef&, const ConstRowsRef&, const Matrix& grad_y, Matrix* grad_x, bool,
                            Eigen::Index first_row) {
  if (!grad_x) return;
  if (active_) dropout_backward(mask_.middleRows(first_row, grad_y.rows()), grad_y, *grad_x);
  else *grad_x = grad_y;
}

}  // namespace gan
