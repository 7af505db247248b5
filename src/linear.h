// A fully connected layer y = x W^T + b with PyTorch's parameter layout and default initialisation.
#pragma once
#include "rng.h"
#include "tensor.h"

namespace gan {

struct Linear {
  Matrix weight;     // [out, in]
  RowVector bias;    // [out]
  // dL/dweight and dL/dbias: empty until a backward pass (or allocate_grads) needs them, so that a network
  // loaded only to generate (the page, `gan generate`) never allocates or touches their memory.
  Matrix grad_weight;
  RowVector grad_bias;

  Linear() = default;
  Linear(int in_features, int out_features);

  int in_features() const { return static_cast<int>(weight.cols()); }
  int out_features() const { return static_cast<int>(weight.rows()); }

  // Sizes grad_weight and grad_bias (zeros) if they are still empty.
  void allocate_grads();

  // PyTorch's default: weight and bias uniform in +-1/sqrt(in_features), weight drawn first.
  void reset_parameters(Rng& rng);

  // y = x W^T + b.
  void forward(const Matrix& x, Matrix& y);
  // From dL/dy (and the forward input x): dL/dW and dL/db when param_grads, dL/dx when grad_x is given.
  // x may be a block of rows of a bigger batch (the rows that grad_y belongs to).
  void backward(const ConstRowsRef& x, const Matrix& grad_y, Matrix* grad_x, bool param_grads);

 private:
  // The same products through an installed native kernel (matrix_product.h), which writes row-major results directly.
  void forward_with_kernel(const Matrix& x, Matrix& y);
  void backward_with_kernel(const ConstRowsRef& x, const Matrix& grad_y, Matrix* grad_x, bool param_grads);

  Eigen::MatrixXf product_;  // column-major scratch for the forward product
};

}  // namespace gan
