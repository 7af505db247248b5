// Element-wise activations and dropout, each with its backward pass.
#pragma once
#include "rng.h"
#include "tensor.h"

namespace gan {

// Each function writes its result in one parallel pass over its input; the result may be the input itself
// (the one-argument forms work in place).

// y = x > 0 ? x : slope * x.
void leaky_relu_forward(const Matrix& x, Matrix& y, float slope);
inline void leaky_relu_forward(Matrix& x, float slope) { leaky_relu_forward(x, x, slope); }
// grad_x = grad_y * d leaky/dx, read from the layer's output y (y > 0 exactly where x > 0 since slope > 0).
void leaky_relu_backward(const ConstRowsRef& y, const Matrix& grad_y, Matrix& grad_x, float slope);
inline void leaky_relu_backward(const ConstRowsRef& y, Matrix& grad, float slope) {
  leaky_relu_backward(y, grad, grad, slope);
}

// y = max(x, 0); grad_x = y > 0 ? grad_y : 0.
void relu_forward(const Matrix& x, Matrix& y);
void relu_backward(const ConstRowsRef& y, const Matrix& grad_y, Matrix& grad_x);

// y = tanh(x).
void tanh_forward(const Matrix& x, Matrix& y);
inline void tanh_forward(Matrix& x) { tanh_forward(x, x); }
// grad_x = grad_y * (1 - y^2).
void tanh_backward(const ConstRowsRef& y, const Matrix& grad_y, Matrix& grad_x);
inline void tanh_backward(const ConstRowsRef& y, Matrix& grad) { tanh_backward(y, grad, grad); }

// Inverted dropout as PyTorch does it: each element kept with probability 1 - p and scaled by 1 / (1 - p).
// `mask` receives the per-element factor (0 or 1 / (1 - p)); the keep decisions come from `rng`. y = x * mask.
void dropout_forward(const Matrix& x, Matrix& y, Matrix& mask, float p, Rng& rng);
inline void dropout_forward(Matrix& x, Matrix& mask, float p, Rng& rng) { dropout_forward(x, x, mask, p, rng); }
// grad_x = grad_y * mask.
void dropout_backward(const ConstRowsRef& mask, const Matrix& grad_y, Matrix& grad_x);
inline void dropout_backward(const ConstRowsRef& mask, Matrix& grad) { dropout_backward(mask, grad, grad); }


}  // namespace gan
