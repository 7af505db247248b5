// Element-wise activations and dropout, each with its backward pass.
#pragma once
#include "rng.h"
#include "tensor.h"

namespace gan {

// In place: y = x > 0 ? x : slope * x.
void leaky_relu_forward(Matrix& x, float slope);
// grad *= d leaky/dx, read from the layer's output y (y > 0 exactly where x > 0 since slope > 0).
void leaky_relu_backward(const ConstRowsRef& y, Matrix& grad, float slope);

// In place: y = tanh(x).
void tanh_forward(Matrix& x);
// grad *= 1 - y^2.
void tanh_backward(const ConstRowsRef& y, Matrix& grad);

// Inverted dropout as PyTorch does it: each element kept with probability 1 - p and scaled by 1 / (1 - p).
// `mask` receives the per-element factor (0 or 1 / (1 - p)); the keep decisions come from `rng`.
void dropout_forward(Matrix& x, Matrix& mask, float p, Rng& rng);
// grad *= mask.
void dropout_backward(const ConstRowsRef& mask, Matrix& grad);


}  // namespace gan
