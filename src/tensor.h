// The core's matrix types: row-major like PyTorch, so a [out, in] weight or an [N, 784] batch has PyTorch's bytes.
#pragma once
#include <Eigen/Core>

namespace gan {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;
// A read-only view of a matrix or of a block of its rows, without a copy.
using ConstRowsRef = Eigen::Ref<const Matrix>;

}  // namespace gan
