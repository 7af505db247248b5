// Linear layer: the products split across the cores by output or input feature, each part by Eigen (the reference)
// or the installed native kernel (matrix_product.h); in wasm, where Eigen has no SIMD, the packed GEMM.
#include "linear.h"

#include <cmath>

#include "matrix_product.h"
#include "parallel.h"

namespace gan {

Linear::Linear(int in_features, int out_features)
    : weight(Matrix::Zero(out_features, in_features)), bias(RowVector::Zero(out_features)) {}

void Linear::allocate_grads() {
  if (grad_weight.size() == 0) grad_weight = Matrix::Zero(weight.rows(), weight.cols());
  if (grad_bias.size() == 0) grad_bias = RowVector::Zero(bias.size());
}

void Linear::reset_parameters(Rng& rng) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(in_features()));
  rng.uniform(weight.data(), static_cast<size_t>(weight.size()), -bound, bound);
  rng.uniform(bias.data(), static_cast<size_t>(bias.size()), -bound, bound);
}

#ifdef __wasm_simd128__

// Eigen's products without SIMD run at about a third of the packed kernel's speed in wasm.
void Linear::forward(const Matrix& x, Matrix& y) {
  const int n = static_cast<int>(x.rows()), in = in_features(), out = out_features();
  y.resize(n, out);
  packed_gemm(n, out, in, {x.data(), in}, {weight.data(), in, true}, y.data(), out);
  y.rowwise() += bias;
}

void Linear::backward(const ConstRowsRef& x, const Matrix& grad_y, Matrix* grad_x, bool param_grads) {
  const int n = static_cast<int>(grad_y.rows()), in = in_features(), out = out_features();
  if (param_grads) {
    allocate_grads();
    packed_gemm(out, in, n, {grad_y.data(), out, true}, {x.data(), static_cast<int>(x.outerStride())},
                grad_weight.data(), in);
    grad_bias = grad_y.colwise().sum();
  }
  if (grad_x) {
    grad_x->resize(n, in);
    packed_gemm(n, in, out, {grad_y.data(), out}, {weight.data(), in}, grad_x->data(), in);
  }
}

#else

namespace {

// The products are split across threads along a weight dimension, each thread running Eigen's single-threaded
// GEMM on its share of the weights: no thread packs another's weights and nothing needs reducing. At batch 60
// this beats Eigen's own GEMM threading. Small layers stay on one thread.
template <class Fn>
void split_features(Eigen::Index features, double flops, Fn&& fn) {
  parallel_chunks(static_cast<size_t>(features), [&](size_t begin, size_t end) {
    fn(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(end - begin));
  }, 16, flops >= 4e6 ? 0 : static_cast<size_t>(features) + 1);
}

}  // namespace

void Linear::forward(const Matrix& x, Matrix& y) {
  y.resize(x.rows(), out_features());
  if (gemm_kernel_installed()) return forward_with_kernel(x, y);
  // Eigen's product into a row-major result takes slow paths for some of the seed's shapes (45 instead of
  // 110 GFLOP/s for [120,784] x [784,1024], 15 for [120,512] x [512,256]); into a column-major result it is
  // consistently fast, and the copy back (with the bias added on the way) costs little beside it.
  product_.resize(x.rows(), out_features());
  split_features(out_features(), 2.0 * x.rows() * weight.size(), [&](Eigen::Index begin, Eigen::Index count) {
    product_.middleCols(begin, count).noalias() = x * weight.middleRows(begin, count).transpose();
    y.middleCols(begin, count) = product_.middleCols(begin, count).rowwise() + bias.segment(begin, count);
  });
}

void Linear::forward_with_kernel(const Matrix& x, Matrix& y) {
  const int n = static_cast<int>(x.rows()), in = in_features(), out = out_features();
  split_features(out, 2.0 * n * weight.size(), [&](Eigen::Index begin, Eigen::Index count) {
    gemm(n, static_cast<int>(count), in, {x.data(), in}, {weight.row(begin).data(), in, true}, y.data() + begin, out);
    y.middleCols(begin, count).rowwise() += bias.segment(begin, count);
  });
}

void Linear::backward(const ConstRowsRef& x, const Matrix& grad_y, Matrix* grad_x, bool param_grads) {
  if (gemm_kernel_installed()) return backward_with_kernel(x, grad_y, grad_x, param_grads);
  const double flops = 2.0 * grad_y.rows() * weight.size();
  if (param_grads) {
    allocate_grads();
    split_features(out_features(), flops, [&](Eigen::Index begin, Eigen::Index count) {
      grad_weight.middleRows(begin, count).noalias() = grad_y.middleCols(begin, count).transpose() * x;
      grad_bias.segment(begin, count) = grad_y.middleCols(begin, count).colwise().sum();
    });
  }
  if (grad_x) {
    grad_x->resize(grad_y.rows(), in_features());
    split_features(in_features(), flops, [&](Eigen::Index begin, Eigen::Index count) {
      grad_x->middleCols(begin, count).noalias() = grad_y * weight.middleCols(begin, count);
    });
  }
}

void Linear::backward_with_kernel(const ConstRowsRef& x, const Matrix& grad_y, Matrix* grad_x, bool param_grads) {
  const int n = static_cast<int>(grad_y.rows()), in = in_features(), out = out_features();
  const double flops = 2.0 * n * weight.size();
  if (param_grads) {
    allocate_grads();
    split_features(out, flops, [&](Eigen::Index begin, Eigen::Index count) {
      gemm(static_cast<int>(count), in, n, {grad_y.data() + begin, out, true},
           {x.data(), static_cast<int>(x.outerStride())}, grad_weight.row(begin).data(), in);
      grad_bias.segment(begin, count) = grad_y.middleCols(begin, count).colwise().sum();
    });
  }
  if (grad_x) {
    grad_x->resize(n, in);
    split_features(in, flops, [&](Eigen::Index begin, Eigen::Index count) {
      gemm(n, static_cast<int>(count), out, {grad_y.data(), out}, {weight.data() + begin, in}, grad_x->data() + begin,
           in);
    });
  }
}

#endif

}  // namespace gan
