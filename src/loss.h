// Binary cross-entropy computed from logits, so it never overflows to inf or NaN.
#pragma once
#include "tensor.h"

namespace gan {

// Mean over the rows of [N, 1] `logits` of BCE(sigmoid(logit), target): max(x, 0) - x t + log(1 + exp(-|x|)).
// It equals PyTorch's BCELoss on the sigmoid outputs wherever those are not saturated to 0 or 1
// (where BCELoss clamps its log at -100, this one keeps going linearly).
// When `grad` is given it receives dL/dlogit = (sigmoid(x) - t) / N * scale.
double bce_with_logits(const Matrix& logits, float target, Matrix* grad = nullptr, float scale = 1.0f);

// Logistic sigmoid, stable for large |x|.
float sigmoid(float x);

}  // namespace gan
