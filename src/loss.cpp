// BCE-with-logits and softmax cross-entropy, forward and gradient.
#include "loss.h"

#include <cmath>
#include <stdexcept>
#include <string>

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

void softmax_rows(Matrix& logits) {
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    auto row = logits.row(i);
    row.array() = (row.array() - row.maxCoeff()).exp();
    row /= row.sum();
  }
}

double softmax_cross_entropy(const Matrix& logits, const std::vector<int>& labels, Matrix* grad) {
  const Eigen::Index n = logits.rows(), c = logits.cols();
  if (static_cast<Eigen::Index>(labels.size()) != n)
    throw std::invalid_argument("softmax_cross_entropy: " + std::to_string(labels.size()) + " labels for " +
                                std::to_string(n) + " rows");
  Matrix p = logits;
  softmax_rows(p);
  double total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const int y = labels[static_cast<size_t>(i)];
    if (y < 0 || y >= c) throw std::invalid_argument("softmax_cross_entropy: label " + std::to_string(y) + " outside 0.." + std::to_string(c - 1));
    // log softmax in double from the logits themselves, so a confident wrong answer costs its full (finite) loss.
    const double top = logits.row(i).maxCoeff();
    const double lse = top + std::log((logits.row(i).cast<double>().array() - top).exp().sum());
    total += lse - logits(i, y);
  }
  if (grad) {
    *grad = p;
    for (Eigen::Index i = 0; i < n; ++i) (*grad)(i, labels[static_cast<size_t>(i)]) -= 1.0f;
    *grad /= static_cast<float>(n);
  }
  return total / static_cast<double>(n);
}

}  // namespace gan
