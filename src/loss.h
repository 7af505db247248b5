// Losses computed from logits, so they never overflow to inf or NaN: binary and softmax cross-entropy.
#pragma once
#include <vector>

#include "tensor.h"

namespace gan {

// Mean over the rows of [N, 1] `logits` of BCE(sigmoid(logit), target): max(x, 0) - x t + log(1 + exp(-|x|)).
// It equals PyTorch's BCELoss on the sigmoid outputs wherever those are not saturated to 0 or 1
// (where BCELoss clamps its log at -100, this one keeps going linearly).
// When `grad` is given it receives dL/dlogit = (sigmoid(x) - t) / N * scale.
double bce_with_logits(const Matrix& logits, float target, Matrix* grad = nullptr, float scale = 1.0f);

// Mean over the rows of [N, C] `logits` of the cross-entropy of softmax(row) against the row's label in [0, C).
// When `grad` is given it receives dL/dlogits = (softmax - one_hot) / N. Throws std::invalid_argument on a bad label.
double softmax_cross_entropy(const Matrix& logits, const std::vector<int>& labels, Matrix* grad = nullptr);

// Each row of `logits` replaced by its softmax (max-subtracted, so large logits do not overflow).
void softmax_rows(Matrix& logits);

// Logistic sigmoid, stable for large |x|.
float sigmoid(float x);

}  // namespace gan
