// One-hot label columns and the class grid's layout.
#include "labels.h"

#include <stdexcept>
#include <string>

namespace gan {

void append_one_hot(const ConstRowsRef& x, const std::vector<int>& labels, int classes, Matrix& out) {
  if (static_cast<Eigen::Index>(labels.size()) != x.rows())
    throw std::invalid_argument("append_one_hot: " + std::to_string(labels.size()) + " labels for " +
                                std::to_string(x.rows()) + " rows");
  out.resize(x.rows(), x.cols() + classes);
  out.leftCols(x.cols()) = x;
  out.rightCols(classes).setZero();
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const int label = labels[static_cast<size_t>(i)];
    if (label < 0 || label >= classes)
      throw std::invalid_argument("label " + std::to_string(label) + " is outside 0.." + std::to_string(classes - 1));
    out(i, x.cols() + label) = 1.0f;
  }
}

int class_grid_rows(int count, int classes) { return classes > 0 ? (count + classes - 1) / classes : count; }

std::vector<int> class_grid_labels(int count, int classes) {
  std::vector<int> labels(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) labels[static_cast<size_t>(i)] = classes > 0 ? i % classes : 0;
  return labels;
}

Matrix class_grid_latents(const Matrix& row_latents, int count, int classes) {
  if (row_latents.rows() < class_grid_rows(count, classes))
    throw std::invalid_argument("class_grid_latents: too few latent vectors for the grid");
  Matrix z(count, row_latents.cols());
  for (int i = 0; i < count; ++i) z.row(i) = row_latents.row(classes > 0 ? i / classes : i);
  return z;
}

}  // namespace gan
