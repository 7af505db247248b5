// BCE-with-logits forward and gradient.
#include "loss.h"

#include <cmath>

namespace gan {

float sigmoid(float x) {
  if (x >= 0) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

double bce_with_logits(const Matrix& logits, float target, Matrix* grad, float scale) {
  const Eigen::Index n = logits.rows();
  if (grad) grad->resize(n, 1);
  double total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x = logits(i, 0);
    total += std::max(x, 0.0) - x * target + std::log1p(std::exp(-std::fabs(x)));
    if (grad) (*grad)(i, 0) = (sigmoid(static_cast<float>(x)) - target) * scale / static_cast<float>(n);
  }
  return total / static_cast<double>(n);
}

}  // namespace gan
